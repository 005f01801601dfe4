// `job-stuck`: the job never finishes: every poll answers 202 with the same X-Progress until the
// job is cancelled.
import { defineScenario } from './scenario.js';

/** What every poll of a stuck job says. */
export const STUCK_PROGRESS = 'in progress: 50% complete';
/** The Retry-After of a stuck job's polls, in seconds. */
export const STUCK_RETRY_AFTER_SECONDS = 1;
/** Long enough to be for ever to any client (ten years). */
const STUCK_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

export const jobStuck = defineScenario({
  name: 'job-stuck',
  description: `The job never finishes: every poll answers 202 with X-Progress "${STUCK_PROGRESS}" and Retry-After: ${STUCK_RETRY_AFTER_SECONDS}, until the job is cancelled.`,
  clientShould: 'Give up by a deadline of its own: cancel the job (DELETE on the poll URL) and exit with an error.',
  settings: [],
  hooks: {
    durationMs: () => STUCK_FOR_MS,
    progress: () => ({ text: STUCK_PROGRESS, retryAfter: STUCK_RETRY_AFTER_SECONDS }),
  },
});
