// The client sends its token on downloads when the manifest says requiresAccessToken.
import { defineRequirement, fail, few, isSignedDownload, notExercised, pass } from '../journal-reading.js';

export const downloadSendsToken = defineRequirement({
  id: 'download.sends-token',
  sentence: 'The client sends its bearer token on every download when the manifest says requiresAccessToken: true.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Output File Request" (requiresAccessToken)',
  scenarios: 'all',
  check({ entries, exports }) {
    const needing = new Set(exports.filter((x) => x.requiresAccessToken).map((x) => x.jobId));
    if (needing.size === 0) return notExercised('No export required an access token for its files.');
    // A download the server could not tie to a job (a wrong path) is judged by the run's exports.
    // A signed URL (where a redirect leads) is its own capability: no token is owed there.
    const downloads = entries.filter((e) => e.fileId !== null && !isSignedDownload(e) && (e.jobId === null || needing.has(e.jobId)));
    if (downloads.length === 0) return notExercised('The client downloaded no file that needed a token.');
    const bare = downloads.filter((e) => !e.token);
    if (bare.length > 0) return fail(`${bare.length} download(s) carried no bearer token.`, few(bare));
    return pass(`Every one of ${downloads.length} downloads carried a bearer token.`);
  },
});
