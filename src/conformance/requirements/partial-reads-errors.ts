// The client downloads the manifest's error files.
import { defineRequirement, fail, isWholeDownload, manifestsServed, notExercised, pass } from '../journal-reading.js';

export const partialReadsErrors = defineRequirement({
  id: 'partial.reads-errors',
  sentence: "The client downloads the manifest's error files (the OperationOutcomes that say what is missing).",
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (the error array)',
  scenarios: ['partial'],
  check({ entries, exports }) {
    const errorFiles = manifestsServed(entries, exports).flatMap((x) => x.files).filter((f) => f.kind === 'error');
    if (errorFiles.length === 0) return notExercised('The client was given no manifest with error files.');
    const unread = errorFiles.filter((f) => !entries.some((e) => e.fileId === f.id && isWholeDownload(e)));
    if (unread.length > 0) {
      return fail(`${unread.length} of ${errorFiles.length} error files were never downloaded, e.g. ${unread[0]!.id}.`, entries.filter((e) => e.fileId === unread[0]!.id));
    }
    return pass(`All ${errorFiles.length} error files were downloaded.`);
  },
});
