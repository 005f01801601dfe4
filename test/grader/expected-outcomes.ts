// The requirement table the tests expect, written out by hand (not read from the catalog): the
// requirements every run exercises, and those each scenario adds.
import { SCENARIO_NAMES, type ScenarioName } from '../../src/scenarios/catalog.js';

export const EVERY_RUN = ['auth.no-token-in-url', 'download.joins-base', 'download.sends-token', 'download.every-file', 'data.complete', 'exit.honest'];

export const BY_SCENARIO: Record<ScenarioName, string[]> = {
  'kickoff-error': [],
  'kickoff-throttled': ['kickoff.waits-after-429'],
  slow: ['poll.honours-retry-after'],
  'job-fails': ['poll.stops-on-failure'],
  'poll-transient': ['poll.honours-retry-after', 'poll.retries-transient'],
  'poll-too-fast': ['poll.honours-retry-after'],
  partial: ['partial.reads-errors'],
  'token-expires': ['auth.renews-token'],
  'download-error': ['download.retries-transient'],
  'download-truncated': ['download.retries-truncated'],
  'files-expired': ['expired.does-not-pass'],
  'download-slow': ['download.completes-slow'],
  'download-stall': ['download.retries-truncated', 'download.read-timeout'],
  'download-reset': ['download.retries-truncated'],
  'download-throttled': ['download.waits-after-429'],
  'retry-after-date': ['retry.honours-date'],
  'job-stuck': ['poll.gives-up-stuck'],
  'count-mismatch': ['download.checks-count'],
  'tiny-files': ['download.many-files'],
  'signed-urls': ['download.no-token-to-signed'],
  'download-redirect': ['download.follows-redirect', 'download.no-token-to-signed'],
};

type Outcome = 'pass' | 'fail' | 'not-exercised';

/**
 * The outcome of every requirement of a run: `fail` and `notExercised` name the exceptions, every
 * other requirement that applies passes.
 */
export function expectedRun(scenario: ScenarioName | null, exceptions: { fail?: string[]; notExercised?: string[] } = {}): Record<string, Outcome> {
  const ids = [...EVERY_RUN, ...(scenario === null ? [] : BY_SCENARIO[scenario])];
  for (const id of [...(exceptions.fail ?? []), ...(exceptions.notExercised ?? [])]) {
    if (!ids.includes(id)) throw new Error(`${id} does not apply to ${scenario ?? 'the run with no fault'}`);
  }
  return Object.fromEntries(
    ids.map((id) => [id, exceptions.fail?.includes(id) ? 'fail' : exceptions.notExercised?.includes(id) ? 'not-exercised' : 'pass']),
  );
}

export const ALL_RUNS: (ScenarioName | null)[] = [null, ...SCENARIO_NAMES];
