// The simulated faults a client can ask for (docs/behaviour.md, "Simulated faults"): each has a
// stable name, a one-line description and what a client should do about it. Chosen per export
// with the kick-off header X-Mock-Scenario, or armed for the next kick-offs at /_mock/scenarios.
import { badRequest } from '../errors.js';

export const SCENARIOS = {
  'kickoff-error': {
    description: 'The kick-off answers 500 with an OperationOutcome (exception); no job is created.',
    clientShould: 'Report the failure; retry the kick-off later if it is idempotent for you.',
  },
  'kickoff-throttled': {
    description: 'The kick-off answers 429 with Retry-After: 5; no job is created.',
    clientShould: 'Wait Retry-After seconds, then send the kick-off again.',
  },
  slow: {
    description: 'The job takes SCENARIO_SLOW_DURATION_MS (10 s by default); X-Progress advances in steps.',
    clientShould: 'Keep polling, honouring Retry-After; show X-Progress to the user.',
  },
  'job-fails': {
    description: 'Polling shows progress, then answers 500 with an OperationOutcome: the job failed.',
    clientShould: 'Stop polling; report the OperationOutcome; start a new export if wanted.',
  },
  'poll-transient': {
    description: 'The first poll answers 503 (transient) with Retry-After; later polls go on normally.',
    clientShould: 'Treat 503 as temporary: wait Retry-After and poll again.',
  },
  'poll-too-fast': {
    description: 'A poll sooner than the last Retry-After answers 429 with the seconds left in Retry-After.',
    clientShould: 'Never poll before Retry-After has passed.',
  },
  partial: {
    description:
      'The export completes with part of the data: the last requested type (or, with one type, every file after its first) is left out and explained in error files.',
    clientShould: "Load the output, then read the manifest's error files and report or retry what is missing.",
  },
  'token-expires': {
    description: 'The token that started the export stops working for this job right after the kick-off (needs AUTH=on); other jobs still accept it.',
    clientShould: 'On 401, get a new token and repeat the request; the job is still there.',
  },
  'download-error': {
    description: 'The first download of each file answers 503 (transient) with Retry-After; the retry succeeds.',
    clientShould: 'Retry a failed download after Retry-After; do not restart the export.',
  },
  'download-truncated': {
    description: "The first download of each file stops part-way: the connection closes before the body's end.",
    clientShould: 'Detect the incomplete body (transfer error, last line without \\n, fewer lines than count) and download again.',
  },
  'files-expired': {
    description: 'The manifest is ready but its files answer 404 (expired); Expires is in the past.',
    clientShould: 'Honour Expires: when files are gone, start a new export.',
  },
} as const satisfies Record<string, { description: string; clientShould: string }>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Every scenario with its name, as the admin API lists them and the demo page offers them. */
export const SCENARIO_LIST = SCENARIO_NAMES.map((name) => ({ name, ...SCENARIOS[name] }));

/** Refuses scenarios this server cannot simulate as set up (`where`: the header or field that named them). */
export function assertScenariosApply(names: readonly string[], authEnabled: boolean, where: string): void {
  if (names.includes('token-expires') && !authEnabled) {
    throw badRequest('The "token-expires" scenario needs AUTH=on: with AUTH=off there is no token to expire.', where);
  }
}

export function isScenarioName(value: string): value is ScenarioName {
  return Object.hasOwn(SCENARIOS, value);
}

/** Retry-After for the throttled kick-off, in seconds. */
export const THROTTLED_RETRY_AFTER_SECONDS = 5;
/** Retry-After for the transient poll and download errors, in seconds. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;
