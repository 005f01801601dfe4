// The registry of simulated faults: every scenario module is in it once, names are unique and
// stable, each declares what it is and acts only through known hooks.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activeScenarios } from '../../src/scenarios/active.js';
import {
  assertScenariosApply,
  isScenarioName,
  REGISTRY,
  SCENARIO_LIST,
  SCENARIO_NAMES,
  SCENARIOS,
  storedScenarioNames,
  type ScenarioName,
} from '../../src/scenarios/catalog.js';
import type { Scenario, ScenarioHooks } from '../../src/scenarios/scenario.js';
import type { HttpError } from '../../src/errors.js';

const HOOKS: Record<keyof ScenarioHooks, true> = {
  unavailable: true,
  everyJob: true,
  kickoff: true,
  jobCreated: true,
  access: true,
  durationMs: true,
  failure: true,
  output: true,
  filesExpireAt: true,
  poll: true,
  pollAnswered: true,
  progress: true,
  retryAfter: true,
  manifest: true,
  redirect: true,
  download: true,
};

const isScenario = (value: unknown): value is Scenario =>
  typeof value === 'object' && value !== null && 'name' in value && 'hooks' in value && 'clientShould' in value;

/** Every scenario exported by a module of src/scenarios/. */
async function declaredScenarios(): Promise<{ file: string; scenario: Scenario }[]> {
  const dir = new URL('../../src/scenarios/', import.meta.url);
  const found: { file: string; scenario: Scenario }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(new URL(file, dir).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (isScenario(value)) found.push({ file, scenario: value });
  }
  return found;
}

describe('the scenario registry', () => {
  it('holds every scenario module of src/scenarios/ once, each in a file of its own name', async () => {
    const declared = await declaredScenarios();
    expect(declared.map((d) => d.file)).toEqual(declared.map((d) => `${d.scenario.name}.ts`));
    expect(new Set(REGISTRY)).toEqual(new Set(declared.map((d) => d.scenario)));
    expect(REGISTRY).toHaveLength(new Set(REGISTRY).size);
  });

  it('names are unique, kebab-case, and the documented twenty-one in their documented order', () => {
    expect(new Set(SCENARIO_NAMES).size).toBe(SCENARIO_NAMES.length);
    for (const name of SCENARIO_NAMES) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(SCENARIO_NAMES).toEqual([
      'kickoff-error',
      'kickoff-throttled',
      'slow',
      'job-fails',
      'poll-transient',
      'poll-too-fast',
      'partial',
      'token-expires',
      'download-error',
      'download-truncated',
      'files-expired',
      'download-slow',
      'download-stall',
      'download-reset',
      'download-throttled',
      'retry-after-date',
      'job-stuck',
      'count-mismatch',
      'tiny-files',
      'signed-urls',
      'download-redirect',
    ]);
  });

  it.each(REGISTRY.map((s) => [s.name, s] as const))('%s declares what it does and acts through known hooks', (_name, scenario) => {
    expect(scenario.description.length).toBeGreaterThan(20);
    expect(scenario.clientShould.length).toBeGreaterThan(10);
    for (const setting of scenario.settings) expect(setting).toMatch(/^[A-Z][A-Z_]+$/);
    const hooks = Object.keys(scenario.hooks);
    expect(hooks.length).toBeGreaterThan(0);
    for (const hook of hooks) {
      expect(Object.hasOwn(HOOKS, hook), `${scenario.name}: ${hook}`).toBe(true);
      expect(typeof scenario.hooks[hook as keyof ScenarioHooks]).toBe('function');
    }
  });

  it('lists each scenario with its name, description and what a client should do (admin API, demo page)', () => {
    expect(SCENARIO_LIST).toEqual(REGISTRY.map(({ name, description, clientShould }) => ({ name, description, clientShould })));
    expect(SCENARIOS.slow).toEqual({ description: REGISTRY[2].description, clientShould: REGISTRY[2].clientShould });
  });

  it('knows its names and nothing else', () => {
    for (const name of SCENARIO_NAMES) expect(isScenarioName(name)).toBe(true);
    for (const other of ['', 'bananas', 'Slow', 'toString', '__proto__', 'constructor']) expect(isScenarioName(other)).toBe(false);
  });
});

describe('scenario names read from a stored job', () => {
  it('keeps the known names in order and drops what it does not know', () => {
    expect(storedScenarioNames(['partial', 'slow'])).toEqual(['partial', 'slow']);
    expect(storedScenarioNames(['slow', 'retired-scenario', 3, null, 'files-expired'])).toEqual(['slow', 'files-expired']);
    expect(storedScenarioNames(undefined)).toEqual([]);
    expect(storedScenarioNames('slow')).toEqual([]);
  });
});

describe('scenarios this server cannot simulate as set up', () => {
  it('token-expires needs AUTH=on; the others apply either way', () => {
    const others = SCENARIO_NAMES.filter((n) => n !== 'token-expires');
    expect(() => assertScenariosApply(SCENARIO_NAMES, true, 'X-Mock-Scenario')).not.toThrow();
    expect(() => assertScenariosApply(others, false, 'X-Mock-Scenario')).not.toThrow();
    const err = (() => {
      try {
        assertScenariosApply(['slow', 'token-expires'], false, 'scenario');
      } catch (e) {
        return e as HttpError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue[0]).toMatchObject({ expression: ['scenario'] });
    expect(err.outcome.issue[0]!.diagnostics).toContain('needs AUTH=on');
  });
});

describe('the scenarios that apply to a job', () => {
  const settings = { slowDurationMs: 7000, downloadBytesPerSecond: 1000, stallMs: 500, pollRateLimit: false };

  it('are those it was started with, their hooks run in catalog order whatever the order asked', () => {
    const both: ScenarioName[] = ['kickoff-throttled', 'kickoff-error'];
    const active = activeScenarios(both, settings);
    expect(active.names).toEqual(['kickoff-error', 'kickoff-throttled']);
    expect(() => active.kickoff()).toThrow(expect.objectContaining({ statusCode: 500 }));
  });

  it('take in the scenarios a server-wide setting applies to every job', () => {
    expect(activeScenarios([], settings).names).toEqual([]);
    expect(activeScenarios([], { ...settings, pollRateLimit: true }).names).toEqual(['poll-too-fast']);
    expect(activeScenarios(['poll-too-fast'], { ...settings, pollRateLimit: true }).names).toEqual(['poll-too-fast']);
  });

  it('answer for the job run: its duration, its failure, the files it keeps', () => {
    expect(activeScenarios([], settings).durationMs()).toBeUndefined();
    expect(activeScenarios(['slow'], settings).durationMs()).toBe(7000);
    expect(activeScenarios(['slow'], settings).failure('j1')).toBeUndefined();
    expect(activeScenarios(['job-fails'], settings).failure('j1')).toMatchObject({
      scenario: 'job-fails',
      outcome: { issue: [{ code: 'exception', diagnostics: 'Export job j1 failed (simulated by the "job-fails" scenario).' }] },
    });
    const files = [
      { type: 'Patient', ridFrom: 1, ridTo: 10, count: 10 },
      { type: 'Condition', ridFrom: 11, ridTo: 20, count: 10 },
    ];
    const source = { ridsAfter: () => [] };
    expect(activeScenarios([], settings).output({ files, source, where: () => undefined })).toEqual({ kept: files, explanations: [] });
    const partial = activeScenarios(['partial'], settings).output({ files, source, where: () => undefined });
    expect(partial.kept).toEqual([files[0]]);
    expect(partial.explanations).toHaveLength(1);
  });
});
