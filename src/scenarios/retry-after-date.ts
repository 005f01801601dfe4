// `retry-after-date`: every Retry-After of the job (its polls' 202s, and the 429s and 503s of
// the scenarios it is combined with) is an HTTP-date (RFC 9110 §10.2.3) instead of seconds.
import { defineScenario } from './scenario.js';

/** The HTTP-date `seconds` from `now`, rounded up to the whole second the date can say. */
export function retryAfterDate(seconds: number, now: number): string {
  return new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toUTCString();
}

export const retryAfterDateScenario = defineScenario({
  name: 'retry-after-date',
  description: 'Every Retry-After of the job (polls, throttled or unavailable answers) is an HTTP-date instead of seconds.',
  clientShould: 'Read Retry-After in both forms (seconds or an HTTP-date) and wait until then; never retry at once on a value it cannot parse.',
  settings: [],
  hooks: {
    retryAfter: retryAfterDate,
  },
});
