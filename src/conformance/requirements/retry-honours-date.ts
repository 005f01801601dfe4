// The client honours a Retry-After given as an HTTP-date.
import type { JournalEntry } from '../../journal/journal-entry.js';
import { after, atMs, defineRequirement, fail, jobsUnder, notExercised, pass, secondsBetween } from '../journal-reading.js';
import type { ExportFacts } from '../requirement.js';

/**
 * The earliest a request may follow `answer` (which had a Retry-After), in ms. The journal keeps
 * a Retry-After in whole seconds: an HTTP-date, itself to the second, is kept as the seconds
 * from the answer's end rounded up, so it is known only to within a second; the server never
 * dates one less than a second after the request.
 */
export function earliestRetry(answer: JournalEntry, exports: ExportFacts[]): number {
  const seconds = answer.retryAfter ?? 0;
  const dated = answer.jobId !== null && jobsUnder(exports, 'retry-after-date').has(answer.jobId);
  return atMs(answer) + (dated ? Math.max(1, seconds - 1) : seconds) * 1000;
}

export const retryAfterHonoursDate = defineRequirement({
  id: 'retry.honours-date',
  sentence: 'The client honours a Retry-After given as an HTTP-date: it asks again about the same job or file no sooner than that date.',
  source: 'RFC 9110 §10.2.3 (Retry-After: an HTTP-date or seconds); Bulk Data IG 2.0.0, "Bulk Data Status Request"',
  scenarios: ['retry-after-date'],
  check({ entries, exports }) {
    const dated = jobsUnder(exports, 'retry-after-date');
    const answers = entries.filter((e) => e.retryAfter !== null && e.jobId !== null && dated.has(e.jobId));
    let followed = 0;
    for (const a of answers) {
      // The next request about the same thing: the same file for a download, the job's next poll otherwise.
      const next = after(entries, a).find((e) => e.method === a.method && e.path === a.path && e.jobId === a.jobId && e.fileId === a.fileId);
      if (!next) continue;
      followed++;
      if (atMs(next) < earliestRetry(a, exports)) {
        return fail(`${a.path} was asked again ${secondsBetween(a, next)} s after an answer whose Retry-After date was about ${a.retryAfter} s away.`, [a, next]);
      }
    }
    if (followed === 0) return notExercised('No answer with a dated Retry-After was followed by another request about the same job or file.');
    return pass(`Each of ${followed} requests after a dated Retry-After came no sooner than the date.`);
  },
});
