// The client downloads a throttled file again after Retry-After.
import { after, atMs, defineRequirement, fail, isDownload, isWholeDownload, notExercised, pass, secondsBetween } from '../journal-reading.js';
import { earliestRetry } from './retry-honours-date.js';

export const downloadWaitsAfter429 = defineRequirement({
  id: 'download.waits-after-429',
  sentence: 'After a download answered 429, the client downloads the same file again, no sooner than its Retry-After.',
  source: 'RFC 6585 §4 (429) and RFC 9110 §10.2.3 (Retry-After); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-throttled'],
  check({ entries, exports }) {
    const downloads = entries.filter(isDownload);
    const throttled = downloads.filter((e) => e.status === 429);
    if (throttled.length === 0) return notExercised('No download was answered 429.');
    for (const r of throttled) {
      const later = after(downloads, r).filter((e) => e.fileId === r.fileId);
      const next = later[0];
      if (!next) return fail(`File ${r.fileId} was never downloaded again after its 429.`, [r]);
      if (atMs(next) < earliestRetry(r, exports)) {
        return fail(`File ${r.fileId} was downloaded again ${secondsBetween(r, next)} s after a 429 with Retry-After: ${r.retryAfter} s.`, [r, next]);
      }
      if (!later.some(isWholeDownload)) return fail(`File ${r.fileId} was tried again after its 429 but never downloaded whole.`, [r, ...later.slice(0, 3)]);
    }
    return pass(`Each of ${throttled.length} files answered 429 was downloaded again after Retry-After.`);
  },
});
