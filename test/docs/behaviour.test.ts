// The behaviour reference (docs/behaviour.md) and the README's short tables against the code:
// the settings src/config.ts reads, with their defaults and accepted values; the README's
// endpoint and error tables against the reference's full ones; the headers CORS exposes.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildTestApp, type TestApp } from '../helper.js';
import { codeSpans, readDoc, section, tableRows } from './markdown.js';

const readme = readDoc('README.md');
const behaviour = readDoc('docs/behaviour.md');

/** The variables src/config.ts reads, and whether each is optional (no default). */
function configVariables(): Map<string, { optional: boolean }> {
  const source = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');
  const start = source.indexOf('z.object({', source.indexOf('const envSchema'));
  const body = source.slice(start, source.indexOf('\n})', start));
  const found = new Map<string, { optional: boolean }>();
  for (const m of body.matchAll(/^ {2}([A-Z][A-Z0-9_]*): (.*)$/gm)) {
    found.set(m[1]!, { optional: !/\.default\(/.test(m[2]!) });
  }
  return found;
}

interface SettingRow {
  name: string;
  default: string | undefined;
  accepts?: string;
}

/** A settings table's rows, one per variable ("`HOST` / `PORT`" rows split in two). */
function settingRows(doc: string): SettingRow[] {
  return tableRows(section(doc, 'Settings')).flatMap((cells) => {
    const names = codeSpans(cells[0]!);
    const defaults = cells[1] === 'unset' ? names.map(() => undefined) : codeSpans(cells[1]!);
    expect(defaults.length, cells[0]).toBe(names.length);
    return names.map((name, i) => ({ name, default: defaults[i], accepts: cells.length === 4 ? cells[2] : undefined }));
  });
}

const accepted = (name: string, value: string) => {
  try {
    loadConfig({ [name]: value });
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
};

describe('the settings tables', () => {
  const variables = configVariables();
  const tables = { 'README.md': settingRows(readme), 'docs/behaviour.md': settingRows(behaviour) };

  it('finds the variables in src/config.ts', () => {
    expect(variables.size).toBeGreaterThan(20);
    expect(variables.get('CORS_ORIGINS')).toEqual({ optional: false });
    expect(variables.get('ADMIN_TOKEN')).toEqual({ optional: true });
  });

  for (const [doc, rows] of Object.entries(tables)) {
    it(`${doc} lists every variable src/config.ts reads, once, and no other`, () => {
      expect(rows.map((r) => r.name).sort()).toEqual([...variables.keys()].sort());
    });

    it(`${doc} gives each variable the default it has`, () => {
      const defaults = loadConfig({});
      for (const row of rows) {
        expect(row.default === undefined, `${row.name}: "unset" exactly when it has no default`).toBe(variables.get(row.name)?.optional);
        // Setting a variable to its documented default changes nothing.
        if (row.default !== undefined) expect(loadConfig({ [row.name]: row.default }), row.name).toEqual(defaults);
      }
    });
  }

  it('agree with each other, row by row', () => {
    const byName = (rows: SettingRow[]) => Object.fromEntries(rows.map((r) => [r.name, r.default]));
    expect(byName(tables['README.md'])).toEqual(byName(tables['docs/behaviour.md']));
  });

  it("docs/behaviour.md's ranges and choices are what the server accepts", () => {
    const number = (s: string) => Number(s.replace(/,/g, ''));
    let checked = 0;
    for (const { name, accepts = '' } of tables['docs/behaviour.md']) {
      const range = /^([\d,]+)–([\d,]+)$/.exec(accepts);
      const atLeast = /^(\d+) or more$/.exec(accepts);
      const choices = /^`[^`]+`(, `[^`]+`)+$/.test(accepts) ? codeSpans(accepts) : undefined;
      if (range) {
        const [low, high] = [number(range[1]!), number(range[2]!)];
        expect([accepted(name, String(low)), accepted(name, String(high))], name).toEqual([true, true]);
        expect([accepted(name, String(high + 1)), low > 0 && accepted(name, String(low - 1))], name).toEqual([false, false]);
      } else if (atLeast) {
        const low = number(atLeast[1]!);
        expect(accepted(name, String(low)), name).toBe(true);
        if (low > 0) expect(accepted(name, String(low - 1)), name).toBe(false);
      } else if (choices) {
        for (const choice of choices) expect(accepted(name, choice), `${name}=${choice}`).toBe(true);
        expect(accepted(name, 'something-else'), name).toBe(false);
      } else {
        continue;
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('ADMIN_TOKEN takes 16 characters or more, as documented', () => {
    expect(tables['docs/behaviour.md'].find((r) => r.name === 'ADMIN_TOKEN')?.accepts).toBe('16 or more characters');
    expect(accepted('ADMIN_TOKEN', 'x'.repeat(16))).toBe(true);
    expect(accepted('ADMIN_TOKEN', 'x'.repeat(15))).toBe(false);
  });
});

describe('the CORS_ORIGINS row', () => {
  let t: TestApp | undefined;
  afterAll(async () => t?.app.close());

  it('names the headers a browser client can read', async () => {
    t = await buildTestApp();
    const row = tableRows(section(behaviour, 'Settings')).find((cells) => cells[0] === '`CORS_ORIGINS`')!;
    const documented = codeSpans(row[3]!).filter((h) => /^[A-Z][A-Za-z-]+$/.test(h));
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example' } });
    const exposed = String(res.headers['access-control-expose-headers']).split(/\s*,\s*/);
    expect(documented.map((h) => h.toLowerCase()).sort()).toEqual(exposed.map((h) => h.toLowerCase()).sort());
  });
});

describe("the README's endpoint table", () => {
  it('names only requests the full table in docs/behaviour.md has', () => {
    const requests = (doc: string) => tableRows(section(doc, 'Endpoints')).map((cells) => cells[0]);
    const full = requests(behaviour);
    const short = requests(readme);
    expect(short.length).toBeGreaterThanOrEqual(8);
    for (const request of short) expect(full, request).toContain(request);
  });
});

describe("the README's error table", () => {
  /** (status, issue code) pairs: "413 / 415" with "`too-costly` / `not-supported`" gives two. */
  const pairs = (rows: string[][], statusColumn: number, codeColumn: number) =>
    new Set(
      rows.flatMap((cells) => {
        const statuses = [...cells[statusColumn]!.matchAll(/\b([45]\d\d)\b/g)].map((m) => m[1]);
        const codes = codeSpans(cells[codeColumn]!);
        expect(codes.length, cells.join(' | ')).toBe(statuses.length);
        return statuses.map((status, i) => `${status} ${codes[i]}`);
      }),
    );

  it('has the same statuses and issue codes as the full table in docs/behaviour.md', () => {
    const full = pairs(tableRows(section(behaviour, 'Errors')), 1, 2);
    const short = pairs(tableRows(section(readme, 'Errors')), 0, 1);
    expect([...short].sort()).toEqual([...full].sort());
  });
});
