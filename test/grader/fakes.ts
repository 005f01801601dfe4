// Fakes for the grader's dependencies: a mock control that records what the grader asked and
// answers a scripted journal, and an evaluation that records the facts it was given.
import type { ExportFacts, Requirement, RequirementResult, RunFacts } from '../../src/conformance/requirement.js';
import type { ClientProcessOptions, ClientRun } from '../../src/grader/client-process.js';
import type { Evaluator } from '../../src/grader/grade.js';
import type { MockControl } from '../../src/grader/mock-control.js';
import type { JournalEntry } from '../../src/journal/journal-entry.js';
import type { ScenarioName } from '../../src/scenarios/catalog.js';

export function entry(over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    at: '2026-03-01T00:00:00.000Z',
    method: 'GET',
    path: '/api/v1/connect/fhir/$export',
    query: '',
    status: 202,
    ms: 3,
    bytes: 0,
    complete: true,
    jobId: null,
    fileId: null,
    token: true,
    userAgent: 'test',
    scenario: null,
    retryAfter: null,
    ...over,
  };
}

export class FakeControl implements MockControl {
  calls: string[] = [];
  /** The journal each run leaves (index: the run's order). */
  journals: JournalEntry[][] = [];
  private run = -1;
  async reset() {
    this.calls.push('reset');
    this.run++;
  }
  async arm(scenario: ScenarioName) {
    this.calls.push(`arm ${scenario}`);
  }
  async requests() {
    this.calls.push('requests');
    return this.journals[this.run] ?? [];
  }
  async exportFacts(jobId: string): Promise<ExportFacts | null> {
    this.calls.push(`export ${jobId}`);
    if (jobId === 'unknown') return null;
    return { jobId, scenarios: [], files: [], requiresAccessToken: true };
  }
}

const requirement = (id: string, scenarios: Requirement['scenarios']): Requirement => ({
  id,
  sentence: `${id} sentence`,
  source: 'test',
  scenarios,
  check: () => ({ outcome: 'pass', reason: '', entries: [] }),
});

/** Three requirements: `exit.honest` for every run, `poll.retries-transient` and `kickoff.waits-after-429` for theirs. */
export const FAKE_CATALOG = [
  requirement('exit.honest', 'all'),
  requirement('poll.retries-transient', ['poll-transient']),
  requirement('kickoff.waits-after-429', ['kickoff-throttled']),
];

/** Passes everything, except `exit.honest` when the client exited non-zero or timed out; records the facts. */
export class FakeEvaluator implements Evaluator {
  facts: RunFacts[] = [];
  applicable(scenarios: readonly ScenarioName[]) {
    return FAKE_CATALOG.filter((r) => r.scenarios === 'all' || r.scenarios.some((s) => scenarios.includes(s)));
  }
  evaluate(run: RunFacts, requirements: readonly Requirement[]): RequirementResult[] {
    this.facts.push(run);
    return requirements.map((r) => {
      const failed = r.id === 'exit.honest' && (run.exitCode !== 0 || run.timedOut === true);
      return {
        requirement: r.id,
        outcome: failed ? 'fail' : r.id === 'kickoff.waits-after-429' ? 'not-exercised' : 'pass',
        evidence: { reason: failed ? 'the client exited <1> & "lost" data' : 'fine', entries: failed ? run.entries.slice(0, 1) : [] },
      };
    });
  }
}

/** A client run that writes nothing and exits with the codes given, one per run. */
export function scriptedClient(codes: (number | 'timeout')[]) {
  const seen: ClientProcessOptions[] = [];
  const runClient = async (options: ClientProcessOptions): Promise<ClientRun> => {
    const code = codes[seen.length] ?? 0;
    seen.push(options);
    return code === 'timeout'
      ? { exitCode: null, timedOut: true, output: '', ms: options.timeoutMs }
      : { exitCode: code, timedOut: false, output: '', ms: 5 };
  };
  return { seen, runClient };
}
