// `kickoff-throttled`: the kick-off is refused with 429 and Retry-After; no job is created.
import { tooManyRequests } from '../errors.js';
import { defineScenario } from './scenario.js';

/** Retry-After for the throttled kick-off, in seconds. */
export const THROTTLED_RETRY_AFTER_SECONDS = 5;

export const kickoffThrottled = defineScenario({
  name: 'kickoff-throttled',
  description: `The kick-off answers 429 with Retry-After: ${THROTTLED_RETRY_AFTER_SECONDS}; no job is created.`,
  clientShould: 'Wait Retry-After seconds, then send the kick-off again.',
  settings: [],
  hooks: {
    kickoff() {
      throw tooManyRequests(
        'Too many requests (simulated by the "kickoff-throttled" scenario); send the kick-off again after Retry-After.',
        THROTTLED_RETRY_AFTER_SECONDS,
      );
    },
  },
});
