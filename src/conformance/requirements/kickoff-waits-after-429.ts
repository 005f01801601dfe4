// After a 429 kick-off, the client sends it again no sooner than Retry-After.
import { after, atMs, defineRequirement, fail, isKickoff, notExercised, pass, secondsBetween } from '../journal-reading.js';

export const kickoffWaitsAfter429 = defineRequirement({
  id: 'kickoff.waits-after-429',
  sentence: 'After a kick-off answered 429, the client sends it again no sooner than its Retry-After.',
  source: 'RFC 9110 §10.2.3 (Retry-After) and RFC 6585 §4 (429); Bulk Data IG 2.0.0, "Bulk Data Kick-off Request"',
  scenarios: ['kickoff-throttled'],
  check({ entries }) {
    const kickoffs = entries.filter(isKickoff);
    const throttled = kickoffs.filter((e) => e.status === 429 && e.retryAfter !== null);
    if (throttled.length === 0) return notExercised('No kick-off was answered 429.');
    let retried = 0;
    for (const refused of throttled) {
      const next = after(kickoffs, refused)[0];
      if (!next) continue;
      retried++;
      if (atMs(next) < atMs(refused) + refused.retryAfter! * 1000) {
        return fail(
          `The kick-off was sent again ${secondsBetween(refused, next)} s after a 429 that asked for Retry-After: ${refused.retryAfter}.`,
          [refused, next],
        );
      }
    }
    if (retried === 0) return notExercised('The client did not send the kick-off again after the 429.');
    return pass(`Every kick-off after a 429 waited its Retry-After (${retried} of them).`);
  },
});
