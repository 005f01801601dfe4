// What an export and a download cost in SQLite work, counted statement by statement: the plan
// reads the index once per file, a download reads its rows in pages of a bounded size, and
// nothing else about a download depends on how many files the export has. Counts, not timings,
// so a busy machine cannot fail these.
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_ROWS } from '../../src/export/ndjson-stream.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { bearer, BASE, buildTestApp, download, getToken, parseNdjson, runExport, type TestApp } from '../helper.js';
import { countStatements, type StatementCounter } from './statement-counter.js';

const PLAN_READ = /^SELECT rid FROM resource WHERE type = \?/;
const PAGE_READ = /GROUP_CONCAT\(json/;

let t: TestApp | undefined;
let counter: StatementCounter;
beforeEach(() => {
  counter = countStatements();
});
afterEach(async () => {
  counter.restore();
  await t?.app.close();
  t = undefined;
});

/** Rows per type in the test database. */
function countsOf(app: TestApp['app']): Map<string, number> {
  const counts = app.store.repos().resources.countsByType();
  return new Map(EXPORTABLE_TYPES.map((type) => [type, counts[type] ?? 0]));
}

describe('the cost of planning an export', () => {
  it.each([10, 250])('reads the index once per file plus once per type to see its end (%i per file)', async (perFile) => {
    t = await buildTestApp({ FILE_MAX_RESOURCES: String(perFile) });
    const counts = countsOf(t.app);
    const from = counter.executions.length;
    const manifest = await runExport(t);

    const reads = counter.since(from, PLAN_READ);
    const files = [...counts.values()].reduce((n, rows) => n + Math.ceil(rows / perFile), 0);
    expect(manifest.output).toHaveLength(files);
    // Per type: one read per full file, one for the partial last file or the empty end.
    const expected = [...counts.values()].reduce((n, rows) => n + Math.floor(rows / perFile) + 1, 0);
    expect(reads).toHaveLength(expected);
    expect(reads.length - files).toBeLessThanOrEqual(EXPORTABLE_TYPES.length);
    // No read returns more than one file's rows.
    expect(Math.max(...reads.map((r) => r.rows))).toBe(perFile);
  });
});

describe('the cost of a download', () => {
  async function downloadCosts(perFile: number, encoding?: 'gzip') {
    t = await buildTestApp({ FILE_MAX_RESOURCES: String(perFile) });
    const token = await getToken(t.app);
    const manifest = await runExport(t, '', token);
    const costs: { count: number; pages: number; pageRows: number[]; limits: number[]; others: string[] }[] = [];
    for (const entry of manifest.output) {
      const from = counter.executions.length;
      const res =
        encoding === 'gzip'
          ? await t.app.inject({ method: 'GET', url: `${BASE}${entry.url}`, headers: { ...bearer(token), 'accept-encoding': 'gzip' } })
          : await download(t.app, entry.url, token);
      expect(res.statusCode).toBe(200);
      const body = encoding === 'gzip' ? gunzipSync(res.rawPayload).toString() : res.body;
      expect(parseNdjson(body)).toHaveLength(entry.count);
      const all = counter.since(from, /./);
      const pages = all.filter((e) => PAGE_READ.test(e.source));
      costs.push({
        count: entry.count,
        pages: pages.length,
        pageRows: pages.map((p) => p.rows),
        limits: pages.map((p) => p.params[3] as number),
        others: all.filter((e) => !PAGE_READ.test(e.source)).map((e) => e.source),
      });
    }
    const files = [...countsOf(t.app).values()].reduce((n, rows) => n + Math.ceil(rows / perFile), 0);
    expect(costs).toHaveLength(files);
    await t.app.close();
    t = undefined;
    return costs;
  }

  it('reads ceil(count / page size) pages, none larger than a page, and no page to find the end', async () => {
    for (const perFile of [10, 250]) {
      const costs = await downloadCosts(perFile);
      for (const c of costs) {
        expect(c.pages).toBe(Math.ceil(c.count / PAGE_ROWS));
        expect(c.pageRows.every((rows) => rows === 1)).toBe(true); // one aggregate row per page
        expect(Math.max(...c.limits)).toBeLessThanOrEqual(PAGE_ROWS);
        expect(c.limits.reduce((a, b) => a + b, 0)).toBe(c.count);
      }
    }
  });

  it('costs the same other statements for every file, whether the export has few files or many', async () => {
    const many = await downloadCosts(10);
    const few = await downloadCosts(250);
    expect(many.length).toBeGreaterThan(few.length * 5);
    const shapes = new Set([...many, ...few].map((c) => JSON.stringify(c.others)));
    expect(shapes.size).toBe(1);
  });

  it('costs the same statements with gzip as without', async () => {
    const plain = await downloadCosts(250);
    const zipped = await downloadCosts(250, 'gzip');
    expect(zipped.map((c) => [c.pages, c.others])).toEqual(plain.map((c) => [c.pages, c.others]));
  });
});
