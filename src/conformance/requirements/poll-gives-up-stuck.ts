// The client gives up on a job that never finishes: it cancels the job and exits non-zero.
import { defineRequirement, fail, few, isPoll, jobsUnder, notExercised, pass } from '../journal-reading.js';

export const pollGivesUpStuck = defineRequirement({
  id: 'poll.gives-up-stuck',
  sentence: 'When a job never finishes, the client gives up by a deadline of its own: it cancels the job (DELETE) and exits non-zero.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Delete Request" (a client cancels an export it no longer wants)',
  scenarios: ['job-stuck'],
  check({ entries, exports, exitCode, timedOut }) {
    const stuck = jobsUnder(exports, 'job-stuck');
    const polls = entries.filter((e) => isPoll(e) && e.jobId !== null && stuck.has(e.jobId));
    if (polls.length === 0) return notExercised('The client never polled a job that does not finish.');
    if (timedOut) return fail('The client did not give up: it was stopped at its deadline.', few(polls.slice(-3)));
    const cancels = entries.filter((e) => e.method === 'DELETE' && e.jobId !== null && stuck.has(e.jobId) && e.status === 202);
    if (exitCode === undefined || exitCode === null) {
      return cancels.length > 0 ? pass('The client cancelled the job that did not finish.', cancels) : notExercised('The client has not given up on the job yet.');
    }
    if (cancels.length === 0) return fail(`The client gave up after ${polls.length} polls without cancelling the job (no DELETE).`, few(polls.slice(-3)));
    if (exitCode === 0) return fail('The client cancelled the job that did not finish, then exited 0 as if it had the export.', cancels);
    return pass(`The client cancelled the job after ${polls.length} polls and exited ${exitCode}.`, cancels);
  },
});
