// What the client wrote holds every resource of the export exactly once.
import type { JournalEntry } from '../../journal/journal-entry.js';
import { defineRequirement, fail, manifestsServed, notExercised, pass } from '../journal-reading.js';
import type { ExportFacts } from '../requirement.js';

/** The export whose data the client ended with: the last one whose manifest, with output files, it was given. */
export const finalExport = (entries: JournalEntry[], exports: ExportFacts[]): ExportFacts | undefined =>
  manifestsServed(entries, exports)
    .filter((x) => x.files.some((f) => f.kind === 'output'))
    .at(-1);

/** Why the written resources are not the export's data exactly once, or null when they are. */
export function writtenMismatch(written: { resourceType: string; id: string }[], exported: ExportFacts): string | null {
  const data = written.filter((r) => r.resourceType !== 'OperationOutcome');
  const seen = new Set<string>();
  for (const r of data) {
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return `${key} was written more than once.`;
    seen.add(key);
  }
  const expected = new Map<string, number>();
  for (const f of exported.files) if (f.kind === 'output') expected.set(f.type, (expected.get(f.type) ?? 0) + f.count);
  const got = new Map<string, number>();
  for (const r of data) got.set(r.resourceType, (got.get(r.resourceType) ?? 0) + 1);
  for (const type of new Set([...expected.keys(), ...got.keys()])) {
    const want = expected.get(type) ?? 0;
    const have = got.get(type) ?? 0;
    if (want !== have) return `${have} ${type} resources were written; the export holds ${want}.`;
  }
  return null;
}

export const dataComplete = defineRequirement({
  id: 'data.complete',
  sentence: "What the client wrote into its output folder holds every resource of the export exactly once.",
  source: 'Bulk Data IG 2.0.0, "Bulk Data Output File Request" (each file\'s resources, count)',
  scenarios: 'all',
  check({ entries, exports, written }) {
    if (written === undefined) return notExercised('What the client wrote is not known (only a grader that ran the client reads it).');
    const exported = finalExport(entries, exports);
    if (!exported) return notExercised('The client was given no manifest with output files.');
    if (exported.scenarios.includes('count-mismatch')) {
      return notExercised("The export's files hold one resource fewer than its manifest counts: no client can write it whole.");
    }
    const mismatch = writtenMismatch(written, exported);
    if (mismatch) return fail(mismatch);
    return pass(`The client wrote the ${written.filter((r) => r.resourceType !== 'OperationOutcome').length} resources of export ${exported.jobId}, each once.`);
  },
});
