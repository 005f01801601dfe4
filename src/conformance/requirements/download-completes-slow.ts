// The client reads a slow but live download to its end.
import { defineRequirement, fail, few, isDownload, notExercised, pass } from '../journal-reading.js';

export const downloadCompletesSlow = defineRequirement({
  id: 'download.completes-slow',
  sentence: 'The client reads a slow but live download to its end: it does not give up on a file that keeps sending.',
  source: 'RFC 9110 §6.1 (a message is complete when its body has been received whole); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-slow'],
  check({ entries }) {
    const slow = entries.filter((e) => isDownload(e) && e.status === 200 && e.scenario === 'download-slow');
    if (slow.length === 0) return notExercised('No download was sent slowly.');
    const abandoned = slow.filter((e) => !e.complete);
    if (abandoned.length > 0) return fail(`The client gave up on ${abandoned.length} slow download(s) before their end.`, few(abandoned));
    return pass(`Each of ${slow.length} slow downloads was read to its end.`);
  },
});
