// Reads a database the way an export does (per type, in rid order) for the data tests.
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import type { Db } from '../../src/store/database.js';
import { createResourceRepository } from '../../src/store/resource-repository.js';

/** Each type's resources as NDJSON lines, in export order. */
export function dumpByType(db: Db): Map<string, string[]> {
  const repo = createResourceRepository(db);
  const top = repo.maxRid();
  const out = new Map<string, string[]>();
  for (const type of EXPORTABLE_TYPES) {
    const lines: string[] = [];
    for (let after = 0; ; ) {
      const rows = repo.jsonAfter(type, after, top, 1000);
      if (rows.length === 0) break;
      for (const [, json] of rows) lines.push(json);
      after = rows[rows.length - 1]![0];
    }
    if (lines.length > 0) out.set(type, lines);
  }
  return out;
}
