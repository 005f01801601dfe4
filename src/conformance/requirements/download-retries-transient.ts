// The client retries a 503 file after Retry-After.
import { after, atMs, defineRequirement, fail, isDownload, isWholeDownload, notExercised, pass, secondsBetween } from '../journal-reading.js';
import { earliestRetry } from './retry-honours-date.js';

export const downloadRetriesTransient = defineRequirement({
  id: 'download.retries-transient',
  sentence: 'After a download answered 503, the client downloads the same file again, no sooner than its Retry-After.',
  source: 'RFC 9110 §15.6.4 (503) and §10.2.3 (Retry-After); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-error'],
  check({ entries, exports }) {
    const downloads = entries.filter(isDownload);
    const refused = downloads.filter((e) => e.status === 503);
    if (refused.length === 0) return notExercised('No download was answered 503.');
    for (const r of refused) {
      const later = after(downloads, r).filter((e) => e.fileId === r.fileId);
      const next = later[0];
      if (!next) return fail(`File ${r.fileId} was never downloaded again after its 503.`, [r]);
      if (r.retryAfter !== null && atMs(next) < earliestRetry(r, exports)) {
        return fail(`File ${r.fileId} was downloaded again ${secondsBetween(r, next)} s after a 503 with Retry-After: ${r.retryAfter}.`, [r, next]);
      }
      if (!later.some(isWholeDownload)) return fail(`File ${r.fileId} was tried again after its 503 but never downloaded whole.`, [r, ...later.slice(0, 3)]);
    }
    return pass(`Each of ${refused.length} files answered 503 was downloaded again after Retry-After.`);
  },
});
