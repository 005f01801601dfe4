// After a 503 poll, the client keeps polling the same job.
import { after, defineRequirement, fail, isPoll, notExercised, pass } from '../journal-reading.js';

export const pollRetriesTransient = defineRequirement({
  id: 'poll.retries-transient',
  sentence: 'After a poll answered 503, the client keeps polling the same job (it does not give up or start over).',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (transient errors); RFC 9110 §15.6.4 (503)',
  scenarios: ['poll-transient'],
  check({ entries }) {
    const polls = entries.filter(isPoll);
    const transient = polls.filter((e) => e.status === 503 && e.jobId !== null);
    if (transient.length === 0) return notExercised('No poll was answered 503.');
    for (const refused of transient) {
      if (!after(polls, refused).some((p) => p.jobId === refused.jobId)) {
        return fail(`Job ${refused.jobId} was never polled again after its 503.`, [refused]);
      }
    }
    return pass(`The client polled the same job again after each of ${transient.length} 503 answers.`);
  },
});
