// The client gives up on a stalled download by its own read timeout and downloads the file again.
import { after, defineRequirement, fail, isDownload, isWholeDownload, notExercised, pass } from '../journal-reading.js';

export const downloadReadTimeout = defineRequirement({
  id: 'download.read-timeout',
  sentence:
    'When a download stops sending, the client gives up on it by a read timeout of its own, before the server closes the connection, and downloads the file again.',
  source: 'RFC 9112 §9.8 (a client should watch for a stalled connection); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-stall'],
  check({ entries }) {
    const downloads = entries.filter(isDownload);
    const stalled = downloads.filter((e) => e.status === 200 && !e.complete && e.scenario === 'download-stall');
    if (stalled.length === 0) return notExercised('No download stalled.');
    for (const s of stalled) {
      const later = after(downloads, s).filter((e) => e.fileId === s.fileId);
      // The server marks a later download of a file whose stall the client waited out to its end.
      const waited = later.find((e) => e.scenario === 'download-stall');
      if (waited) return fail(`The client waited out the stall of file ${s.fileId} (${(s.ms / 1000).toFixed(1)} s) until the server closed it.`, [s, waited]);
      if (!later.some(isWholeDownload)) return fail(`File ${s.fileId} stalled and was never downloaded whole afterwards.`, [s, ...later.slice(0, 3)]);
    }
    return pass(`Each of ${stalled.length} stalled downloads was given up by the client and downloaded again.`);
  },
});
