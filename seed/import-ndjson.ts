// `npm run seed -- --import DIR`: builds a database from a team's own NDJSON files, one
// resource type per file as an export writes them. A resource is rejected, with its file and
// line in the report, when it is not valid FHIR R4 or not an exportable type, when its id is
// taken, or when one of its references does not resolve to an accepted resource (relative
// "Type/id" references only; rejecting one resource can leave others dangling, so this repeats
// until every remaining reference resolves).
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Resource } from '../src/fhir/r4.js';
import { isExportableType } from '../src/fhir/resource-types.js';
import { writeDatasetMeta, type Db } from '../src/store/database.js';
import { createResourceRepository, type NewResource } from '../src/store/resource-repository.js';
import { SCHEMA_VERSION } from '../src/store/schema.js';
import { addGroups } from './groups.js';
import { buildDatabaseFile, dropIndexesWhileEmpty } from './seed-database.js';
import { loadValidator, type Validate } from './validation/load-validator.js';

export interface ImportProblem {
  file: string;
  line: number;
  type?: string;
  id?: string;
  kind: 'unreadable' | 'invalid' | 'unsupported-type' | 'mixed-types' | 'duplicate' | 'dangling-reference';
  reason: string;
}

export interface ImportResult {
  files: string[];
  lines: number;
  accepted: Record<string, number>;
  rejected: Record<ImportProblem['kind'], number>;
  /** Groups derived from the accepted data (one per clinic, one per common condition), for Group-level exports. */
  groups: number;
}

export interface ImportOptions {
  /** Called for every rejected resource, in file order, then for dangling references. */
  onProblem?: (problem: ImportProblem) => void;
  /** Bytes read so far across all files, of `totalBytes`. */
  onProgress?: (progress: { bytesRead: number; totalBytes: number; accepted: number }) => void;
  /** meta.lastUpdated for resources that carry none (an instant). */
  defaultLastUpdated: string;
}

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** The NDJSON files of a folder, in name order. */
export function ndjsonFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder.`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`${dir} holds no .ndjson files (one resource type per file, one resource per line).`);
  return files;
}

/** Every `reference` string in a resource, wherever it sits. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else if (typeof v === 'object') references(v, out);
    }
  }
  return out;
}

/** The patient whose compartment holds a resource: itself, or its subject or patient. */
function compartmentOf(resource: Resource & Record<string, unknown>): string | null {
  if (resource.resourceType === 'Patient') return resource.id ?? null;
  for (const key of ['subject', 'patient']) {
    const r = (resource[key] as { reference?: unknown } | undefined)?.reference;
    if (typeof r === 'string' && r.startsWith('Patient/')) return r.slice('Patient/'.length);
  }
  return null;
}

/** Fills an open, empty database from NDJSON files. */
export async function importInto(db: Db, files: readonly string[], options: ImportOptions, validateR4: Validate): Promise<ImportResult> {
  const repo = createResourceRepository(db);
  const rejected: ImportResult['rejected'] = {
    unreadable: 0,
    invalid: 0,
    'unsupported-type': 0,
    'mixed-types': 0,
    duplicate: 0,
    'dangling-reference': 0,
  };
  const reject = (p: ImportProblem) => {
    rejected[p.kind]++;
    options.onProblem?.(p);
  };
  db.exec('CREATE TEMP TABLE import_ref (src_type TEXT NOT NULL, src_id TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL)');
  const insertRef = db.prepare('INSERT INTO import_ref VALUES (?, ?, ?, ?, ?, ?)');
  const seen = new Set<string>();
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  let bytesRead = 0;
  let lines = 0;
  let accepted = 0;
  let batch: { row: NewResource; refs: [string, string][]; file: string; line: number }[] = [];
  const writeBatch = db.transaction((items: typeof batch) => {
    repo.insertMany(items.map((i) => i.row));
    for (const i of items) for (const [t, id] of i.refs) insertRef.run(i.row.type, i.row.id, i.file, i.line, t, id);
  });
  const flush = async () => {
    writeBatch(batch);
    batch = [];
    options.onProgress?.({ bytesRead, totalBytes, accepted });
    await nextTick();
  };

  const rebuild = dropIndexesWhileEmpty(db);
  for (const path of files) {
    const file = basename(path);
    let fileType: string | undefined;
    let line = 0;
    const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of reader) {
      line++;
      bytesRead += Buffer.byteLength(text) + 1;
      if (text.trim() === '') continue;
      lines++;
      let resource: Resource & Record<string, unknown>;
      try {
        resource = JSON.parse(text) as Resource & Record<string, unknown>;
      } catch (err) {
        reject({ file, line, kind: 'unreadable', reason: `not JSON: ${(err as Error).message}` });
        continue;
      }
      if (resource === null || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
        reject({ file, line, kind: 'unreadable', reason: 'not a FHIR resource (no resourceType)' });
        continue;
      }
      const type = resource.resourceType;
      const id = typeof resource.id === 'string' ? resource.id : undefined;
      const where = { file, line, type, ...(id ? { id } : {}) };
      if (!isExportableType(type)) {
        reject({ ...where, kind: 'unsupported-type', reason: `${type} is not a type this server exports` });
        continue;
      }
      fileType ??= type;
      if (type !== fileType) {
        reject({ ...where, kind: 'mixed-types', reason: `the file holds ${fileType}; an export file holds one type` });
        continue;
      }
      const issues = validateR4(resource);
      if (id === undefined) issues.unshift({ path: `${type}.id`, message: 'a stored resource needs an id' });
      if (issues.length > 0) {
        const shown = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
        reject({ ...where, kind: 'invalid', reason: issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown });
        continue;
      }
      const key = `${type}/${id}`;
      if (seen.has(key)) {
        reject({ ...where, kind: 'duplicate', reason: `${key} appears more than once` });
        continue;
      }
      const refs: [string, string][] = [];
      let bad: string | undefined;
      for (const r of references(resource)) {
        if (r.startsWith('#')) continue;
        const m = RELATIVE_REFERENCE.exec(r);
        if (!m) {
          bad = r;
          break;
        }
        refs.push([m[1]!, m[2]!]);
      }
      if (bad !== undefined) {
        reject({ ...where, kind: 'dangling-reference', reason: `reference "${bad}" is not a relative Type/id reference to a resource in the data set` });
        continue;
      }
      seen.add(key);
      const meta = resource.meta as { lastUpdated?: string } | undefined;
      batch.push({
        row: { type, id: id!, patientId: compartmentOf(resource), lastUpdated: meta?.lastUpdated ?? options.defaultLastUpdated, json: JSON.stringify(resource) },
        refs,
        file,
        line,
      });
      accepted++;
      if (batch.length >= 2000) await flush();
    }
  }
  await flush();
  rebuild();

  // Reject resources whose references do not resolve, until none is left.
  db.exec('CREATE INDEX temp.import_ref_src ON import_ref (src_type, src_id)');
  const dangling = db.prepare(
    `SELECT src_type, src_id, file, line, target_type || '/' || target_id AS target FROM import_ref r
     WHERE NOT EXISTS (SELECT 1 FROM resource t WHERE t.type = r.target_type AND t.id = r.target_id)
     GROUP BY src_type, src_id`,
  );
  const removeResource = db.prepare('DELETE FROM resource WHERE type = ? AND id = ?');
  const removeRefs = db.prepare('DELETE FROM import_ref WHERE src_type = ? AND src_id = ?');
  for (;;) {
    const rows = dangling.all() as { src_type: string; src_id: string; file: string; line: number; target: string }[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        removeResource.run(r.src_type, r.src_id);
        removeRefs.run(r.src_type, r.src_id);
      }
    })();
    for (const r of rows) {
      reject({
        file: r.file,
        line: r.line,
        type: r.src_type,
        id: r.src_id,
        kind: 'dangling-reference',
        reason: `reference "${r.target}" does not resolve to a resource in the data set`,
      });
    }
  }
  db.exec('DROP TABLE temp.import_ref');
  return { files: files.map((f) => basename(f)), lines, accepted: repo.countsByType(), rejected, groups: 0 };
}

/** Creates the database file at `path` (replacing any there) from the NDJSON files in `dir`. */
export async function createImportedDatabase(path: string, dir: string, options: ImportOptions): Promise<ImportResult> {
  const files = ndjsonFiles(dir);
  // Before the database file: without its optional packages the import stops here, writing nothing.
  const validateR4 = await loadValidator();
  return buildDatabaseFile(path, 'importing', async (db) => {
    const result = await importInto(db, files, options, validateR4);
    // Groups are not imported (Group is not an exportable type): they are derived, as for a
    // generated data set, from the patients' clinics and conditions.
    result.groups = addGroups(db, { idSeed: 'import', lastUpdated: options.defaultLastUpdated });
    const resources = Object.values(result.accepted).reduce((a, b) => a + b, 0);
    writeDatasetMeta(db, { source: 'import', schemaVersion: SCHEMA_VERSION, importedFrom: resolve(dir), files: result.files, resources });
    return result;
  });
}
