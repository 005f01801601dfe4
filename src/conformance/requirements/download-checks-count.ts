// The client notices a file holding fewer lines than its manifest count, and does not exit 0.
import { defineRequirement, fail, few, isDownload, jobsUnder, notExercised, pass } from '../journal-reading.js';

export const downloadChecksCount = defineRequirement({
  id: 'download.checks-count',
  sentence: "The client checks each file's lines against its manifest count: a file short of its count is downloaded again or reported, never passed over with exit 0.",
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (output count: the number of resources in the file)',
  scenarios: ['count-mismatch'],
  check({ entries, exports, exitCode, timedOut }) {
    const short = jobsUnder(exports, 'count-mismatch');
    const shortFiles = exports.filter((x) => short.has(x.jobId)).flatMap((x) => x.files.filter((f) => f.kind === 'output' && f.count > 0).slice(0, 1));
    const downloads = entries.filter((e) => isDownload(e) && shortFiles.some((f) => f.id === e.fileId) && e.status === 200 && e.complete);
    if (downloads.length === 0) return notExercised('The client never downloaded the file that is short of its count.');
    if (timedOut) return fail('The client did not exit: it was stopped at its deadline.', few(downloads));
    if (exitCode === undefined || exitCode === null) {
      return downloads.length > 1
        ? pass(`The client downloaded the short file ${downloads.length} times.`, few(downloads))
        : notExercised('Whether the client reported the short file is known only from its exit code.');
    }
    if (exitCode === 0) return fail(`The client exited 0 though file ${downloads[0]!.fileId} holds one resource fewer than its count.`, few(downloads));
    return pass(`The client noticed the short file (downloaded ${downloads.length} time(s)) and exited ${exitCode}.`, few(downloads));
  },
});
