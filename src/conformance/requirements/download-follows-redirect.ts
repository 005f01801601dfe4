// The client follows a download's redirect.
import { after, defineRequirement, fail, isDownload, isWholeDownload, notExercised, pass } from '../journal-reading.js';

export const downloadFollowsRedirect = defineRequirement({
  id: 'download.follows-redirect',
  sentence: "The client follows a download's 307 Temporary Redirect to where it leads and gets the file there whole.",
  source: 'RFC 9110 §15.4.8 (307 Temporary Redirect); Bulk Data IG 2.0.0, "Bulk Data Output File Request"',
  scenarios: ['download-redirect'],
  check({ entries }) {
    const downloads = entries.filter(isDownload);
    const redirected = downloads.filter((e) => e.status === 307);
    if (redirected.length === 0) return notExercised('No download was redirected.');
    for (const r of redirected) {
      if (!after(downloads, r).some((e) => e.fileId === r.fileId && isWholeDownload(e))) {
        return fail(`The redirect of file ${r.fileId} was never followed to a whole download.`, [r]);
      }
    }
    const files = new Set(redirected.map((e) => e.fileId)).size;
    return pass(`Each of ${files} redirected files was downloaded whole where the redirect led.`);
  },
});
