// The client never polls a job sooner than the last poll's Retry-After.
import type { JournalEntry } from '../../journal/journal-entry.js';
import { atMs, defineRequirement, fail, isPoll, notExercised, pass, secondsBetween } from '../journal-reading.js';
import { earliestRetry } from './retry-honours-date.js';

export const pollHonoursRetryAfter = defineRequirement({
  id: 'poll.honours-retry-after',
  sentence: "The client never polls a job sooner than the Retry-After of that job's previous poll.",
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (Retry-After); RFC 9110 §10.2.3',
  scenarios: ['slow', 'poll-too-fast', 'poll-transient'],
  check({ entries, exports }) {
    const lastByJob = new Map<string, JournalEntry>();
    let waits = 0;
    for (const poll of entries.filter(isPoll)) {
      if (poll.jobId === null) continue;
      const previous = lastByJob.get(poll.jobId);
      lastByJob.set(poll.jobId, poll);
      if (previous?.retryAfter == null) continue;
      waits++;
      if (atMs(poll) < earliestRetry(previous, exports)) {
        return fail(
          `Job ${poll.jobId} was polled ${secondsBetween(previous, poll)} s after an answer with Retry-After: ${previous.retryAfter}.`,
          [previous, poll],
        );
      }
    }
    if (waits === 0) return notExercised('No poll with Retry-After was followed by another poll of the same job.');
    return pass(`Each of ${waits} polls after a Retry-After came no sooner than asked.`);
  },
});
