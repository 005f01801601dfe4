// The client downloads an export of many small files in time.
import { defineRequirement, fail, isWholeDownload, jobsUnder, manifestsServed, notExercised, pass } from '../journal-reading.js';

export const downloadManyFiles = defineRequirement({
  id: 'download.many-files',
  sentence: 'The client downloads an export of hundreds of small files, every one to its end, within its time.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" (the server decides how to split the output into files)',
  scenarios: ['tiny-files'],
  check({ entries, exports, timedOut }) {
    const tiny = jobsUnder(exports, 'tiny-files');
    const files = manifestsServed(entries, exports)
      .filter((x) => tiny.has(x.jobId))
      .flatMap((x) => x.files);
    if (files.length === 0) return notExercised('The client was given no manifest of small files.');
    const missing = files.filter((f) => !entries.some((e) => e.fileId === f.id && isWholeDownload(e)));
    if (timedOut) return fail(`The client was stopped at its deadline with ${missing.length} of ${files.length} files still to download.`);
    if (missing.length > 0) return fail(`${missing.length} of ${files.length} small files were never downloaded to their end.`);
    return pass(`All ${files.length} small files were downloaded to their end.`);
  },
});
