// The client exits 0 exactly when it ended with the complete export.
import { defineRequirement, fail, isWholeDownload, notExercised, pass } from '../journal-reading.js';
import { finalExport, writtenMismatch } from './data-complete.js';

export const exitHonest = defineRequirement({
  id: 'exit.honest',
  sentence: 'The client exits 0 exactly when it ended with the complete export.',
  source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request" and "Bulk Data Output File Request" (a complete export is every output file)',
  scenarios: 'all',
  check({ entries, exports, exitCode, timedOut, written }) {
    if (timedOut) return fail('The client did not exit: it was stopped at its deadline.');
    if (exitCode === undefined || exitCode === null) return notExercised('No exit code is known (only a grader that ran the client knows it).');
    const exported = finalExport(entries, exports);
    const outputs = exported?.files.filter((f) => f.kind === 'output') ?? [];
    const downloaded = exported !== undefined && outputs.every((f) => entries.some((e) => e.fileId === f.id && isWholeDownload(e)));
    const mismatch = exported && written ? writtenMismatch(written, exported) : null;
    const complete = downloaded && mismatch === null;
    // An export that came with error files is complete as served, yet misses data: either answer is honest.
    if (complete && exported.files.some((f) => f.kind === 'error')) {
      return pass(`The client exited ${exitCode} with an export whose error files say what is missing.`);
    }
    if (complete && exitCode === 0) return pass('The client exited 0 with the complete export.');
    if (!complete && exitCode !== 0) return pass(`The client exited ${exitCode} without a complete export.`);
    if (complete) return fail(`The client exited ${exitCode} though it had the complete export.`);
    return fail(`The client exited 0 without a complete export${mismatch ? `: ${mismatch}` : exported ? ': not every output file was downloaded to its end.' : '.'}`);
  },
});
