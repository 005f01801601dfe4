// After the job's 500, the client stops polling it.
import { after, defineRequirement, fail, few, isPoll, notExercised, pass } from '../journal-reading.js';

export const pollStopsOnFailure = defineRequirement({
  id: 'poll.stops-on-failure',
  sentence: 'After a poll answered 500 (the job failed), the client stops polling that job and reports the failure.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (error status: 5xx with an OperationOutcome)',
  scenarios: ['job-fails'],
  check({ entries }) {
    const polls = entries.filter(isPoll);
    const failed = polls.filter((e) => e.status === 500 && e.jobId !== null);
    if (failed.length === 0) return notExercised('No poll was answered 500.');
    const first = failed[0]!;
    const again = after(polls, first).filter((p) => p.jobId === first.jobId);
    if (again.length > 0) {
      return fail(`Job ${first.jobId} was polled ${again.length} more time(s) after it had failed.`, few([first, ...again]));
    }
    return pass(`The client stopped polling job ${first.jobId} once it had failed.`);
  },
});
