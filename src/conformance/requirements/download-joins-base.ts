// The client requests {origin}{BASE_PATH}{url}, never the url resolved against the origin.
import { defineRequirement, fail, few, notExercised, pass } from '../journal-reading.js';

export const downloadJoinsBase = defineRequirement({
  id: 'download.joins-base',
  sentence: "The client downloads a file at {origin}{BASE_PATH}{url} (Verto's urls are relative to the API base), never at the url resolved against the origin.",
  source: "Verto's documentation (bulk export: the manifest's file urls are relative to the API base)",
  scenarios: 'all',
  check({ entries, basePath }) {
    const downloads = entries.filter((e) => e.fileId !== null);
    if (downloads.length === 0) return notExercised('The client downloaded no file.');
    const outside = downloads.filter((e) => !e.path.startsWith(`${basePath}/file/`));
    if (outside.length > 0) {
      return fail(`${outside.length} download(s) left out the API base ${basePath}, e.g. ${outside[0]!.path}.`, few(outside));
    }
    return pass(`Every one of ${downloads.length} downloads went to ${basePath}/file/….`);
  },
});
