// Grades an example client against a real mock, started as the grader starts it (in-process, on
// a free loopback port, with shrunk scenario timings), the client run as a real process. The
// evaluation is a recorder: what the tests check here is the client's behaviour from the
// outside (its exit code, what it wrote), run by run. With the requirement catalog, pass
// `loadEvaluator()` (src/grader/catalog-port.ts) and `httpMockControl` to grade for real.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { RunFacts } from '../../src/conformance/requirement.js';
import { grade, type Evaluator, type GradeReport } from '../../src/grader/grade.js';
import { startInProcessMock, type InProcessMock } from '../../src/grader/in-process-mock.js';
import { httpMockControl, type MockControl } from '../../src/grader/mock-control.js';
import { SCENARIO_NAMES, type ScenarioName } from '../../src/scenarios/catalog.js';
import { FakeEvaluator } from './fakes.js';

export const TYPES = ['Patient', 'Condition'];

export interface LiveGrade {
  report: GradeReport;
  facts: RunFacts[];
  /** How many resources of each graded type the mock's data set holds. */
  stored: Record<string, number>;
}

/**
 * The admin API's scenario and reset calls, over HTTP as the grader makes them; the journal is
 * read as empty (it is not part of the server this branch builds on).
 */
export function controlWithoutJournal(origin: string): MockControl {
  const http = httpMockControl(origin);
  return {
    reset: async () => {
      const res = await fetch(`${origin}/_mock/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`reset answered ${res.status}`);
    },
    arm: (scenario) => http.arm(scenario),
    requests: async () => [],
    exportFacts: async () => null,
  };
}

/** An evaluation that keeps the facts it was given, for the tests to read. */
function recording(inner: Evaluator): Evaluator & { facts: RunFacts[] } {
  const facts: RunFacts[] = [];
  return {
    facts,
    applicable: (scenarios) => inner.applicable(scenarios),
    evaluate: (run, requirements) => {
      facts.push(run);
      return inner.evaluate(run, requirements);
    },
  };
}

export interface LiveGradeOptions {
  profile?: 'verto' | 'standard';
  scenarios?: (ScenarioName | null)[];
  evaluator?: () => Promise<Evaluator>;
  control?: (origin: string) => MockControl;
}

/** Grades `examples/clients/<name>.mjs` (by default in the Verto profile, through every scenario after a run with no fault), once for the file. */
export function liveGrade(name: string, options: LiveGradeOptions = {}): () => LiveGrade {
  let mock: InProcessMock;
  let result: LiveGrade | undefined;
  beforeAll(async () => {
    mock = await startInProcessMock(options.profile ?? 'verto');
    const evaluator = recording(options.evaluator ? await options.evaluator() : new FakeEvaluator());
    const report = await grade(
      {
        client: `node examples/clients/${name}.mjs`,
        profile: options.profile ?? 'verto',
        scenarios: options.scenarios ?? [null, ...SCENARIO_NAMES],
        timeoutMs: 60_000,
        types: TYPES,
        origin: mock.origin,
        basePath: mock.basePath,
        username: mock.username,
        password: mock.password,
        workDir: mkdtempSync(join(inject('scratchRoot'), `grade-${name}-`)),
      },
      { control: (options.control ?? controlWithoutJournal)(mock.origin), evaluator },
    );
    const counts = mock.app.store.repos().resources.countsByType();
    result = { report, facts: evaluator.facts, stored: Object.fromEntries(TYPES.map((t) => [t, counts[t] ?? 0])) };
  }, 180_000);
  afterAll(() => mock?.close());
  return () => {
    if (!result) throw new Error('the grade did not run');
    return result;
  };
}

/** How many resources of each type a run's client wrote, and whether any was written twice. */
export function writtenCounts(facts: RunFacts): { counts: Record<string, number>; duplicates: number } {
  const written = facts.written ?? [];
  const counts: Record<string, number> = {};
  for (const r of written) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
  return { counts, duplicates: written.length - new Set(written.map((r) => `${r.resourceType}/${r.id}`)).size };
}
