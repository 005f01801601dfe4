// The client downloads every file of the manifest (output and error) to its end at least once.
import { defineRequirement, fail, few, isWholeDownload, manifestsServed, notExercised, pass } from '../journal-reading.js';

export const downloadEveryFile = defineRequirement({
  id: 'download.every-file',
  sentence: "The client downloads every file of the manifest (output and error) to its end at least once.",
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (complete status: output and error) and "Bulk Data Output File Request"',
  scenarios: 'all',
  check({ entries, exports }) {
    const files = manifestsServed(entries, exports).flatMap((x) => x.files);
    if (files.length === 0) return notExercised('The client was given no manifest with files to download.');
    const missing = files.filter((f) => !entries.some((e) => e.fileId === f.id && isWholeDownload(e)));
    if (missing.length > 0) {
      const tried = entries.filter((e) => missing.some((f) => f.id === e.fileId));
      return fail(
        `${missing.length} of ${files.length} files were never downloaded to their end, e.g. ${missing[0]!.kind} file ${missing[0]!.id} (${missing[0]!.type}).`,
        few(tried),
      );
    }
    return pass(`All ${files.length} files were downloaded to their end.`);
  },
});
