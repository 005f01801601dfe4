// Grades an example client against a real mock, started as the grader starts it (in-process, on
// a free loopback port, with shrunk scenario timings), the client run as a real process, the
// mock's admin API read over HTTP and the requirement catalog's evaluation, as `npm run grade`
// does. The evaluation also keeps the facts it was given, for the tests to read.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { RunFacts } from '../../src/conformance/requirement.js';
import { grade, type Evaluator, type GradeReport } from '../../src/grader/grade.js';
import { startInProcessMock, type InProcessMock } from '../../src/grader/in-process-mock.js';
import { catalogEvaluator } from '../../src/grader/catalog-port.js';
import { httpMockControl } from '../../src/grader/mock-control.js';
import { SCENARIO_NAMES, type ScenarioName } from '../../src/scenarios/catalog.js';

export const TYPES = ['Patient', 'Condition'];

export interface LiveGrade {
  report: GradeReport;
  facts: RunFacts[];
  /** How many resources of each graded type the mock's data set holds. */
  stored: Record<string, number>;
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
}

/** Grades `examples/clients/<name>.mjs` (by default in the Verto profile, through every scenario after a run with no fault), once for the file. */
export function liveGrade(name: string, options: LiveGradeOptions = {}): () => LiveGrade {
  let mock: InProcessMock;
  let result: LiveGrade | undefined;
  beforeAll(async () => {
    mock = await startInProcessMock(options.profile ?? 'verto');
    const evaluator = recording(catalogEvaluator);
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
      { control: httpMockControl(mock.origin), evaluator },
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

/** Each run's outcomes, by requirement, keyed by scenario ('no fault' for the run with none). */
export function outcomesOf(report: GradeReport): Record<string, Record<string, string>> {
  return Object.fromEntries(
    report.runs.map((run) => [run.scenario ?? 'no fault', Object.fromEntries(run.results.map((r) => [r.requirement, r.outcome]))]),
  );
}
