// The client downloads a truncated file again.
import { after, defineRequirement, fail, isDownload, isWholeDownload, notExercised, pass } from '../journal-reading.js';

export const downloadRetriesTruncated = defineRequirement({
  id: 'download.retries-truncated',
  sentence: 'After a download cut short (the body not sent to its end: closed, stalled or reset), the client downloads the same file again.',
  source: 'RFC 9110 §6.1 (an incomplete message); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-truncated', 'download-stall', 'download-reset'],
  check({ entries }) {
    const downloads = entries.filter(isDownload);
    const cut = downloads.filter((e) => e.status === 200 && !e.complete);
    if (cut.length === 0) return notExercised('No download was cut short.');
    for (const c of cut) {
      if (!after(downloads, c).some((e) => e.fileId === c.fileId && isWholeDownload(e))) {
        return fail(`File ${c.fileId} was cut short and never downloaded whole afterwards.`, [c]);
      }
    }
    return pass(`Each of ${cut.length} files cut short was downloaded again to its end.`);
  },
});
