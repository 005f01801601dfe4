import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { ConfigError, type DatasetParams } from '../config.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

export type { Db };

/** Opens (and if needed creates the tables of) a database in the mode the server runs it. */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  // WAL: readers (downloads) never wait for the writer (jobs), and a kill -9 loses nothing committed.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA_SQL);
  return db;
}

export interface StoredDataset extends DatasetParams {
  /** Absent in a generated database. */
  source?: 'generated';
  schemaVersion: number;
  generator: string;
}

/** A database built from a team's own NDJSON files (`npm run seed -- --import DIR`). */
export interface ImportedDataset {
  source: 'import';
  schemaVersion: number;
  /** The folder the files came from, and the files. */
  importedFrom: string;
  files: string[];
  resources: number;
}

export function readDatasetMeta(db: Db): StoredDataset | ImportedDataset | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'dataset'").pluck().get() as string | undefined;
  return row === undefined ? undefined : (JSON.parse(row) as StoredDataset | ImportedDataset);
}

export function writeDatasetMeta(db: Db, dataset: StoredDataset | ImportedDataset): void {
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('dataset', ?)").run(JSON.stringify(dataset));
}

/**
 * A database made with other dataset settings than the current ones is not served silently:
 * clients would see data that their settings do not describe.
 */
export function assertDatasetMatches(db: Db, path: string, wanted: DatasetParams): void {
  const stored = readDatasetMeta(db);
  const regenerate =
    `Delete ${path} to have it created again on the next start, or run ` +
    `"npm run seed -- --db ${path} --patients ${wanted.patients} --seed ${wanted.seed} --reference-date ${wanted.referenceDate}".`;
  if (!stored) {
    throw new ConfigError(`The database ${path} holds no dataset description (was it made by this server?). ${regenerate}`);
  }
  if (stored.schemaVersion !== SCHEMA_VERSION) {
    throw new ConfigError(
      `The database ${path} has schema version ${stored.schemaVersion}; this server needs ${SCHEMA_VERSION}. ${regenerate}`,
    );
  }
  // An imported database has no generator settings to compare: it is served as it is.
  if (stored.source === 'import') return;
  const diffs: string[] = [];
  if (stored.patients !== wanted.patients) diffs.push(`DATASET_PATIENTS=${stored.patients} (now ${wanted.patients})`);
  if (stored.seed !== wanted.seed) diffs.push(`DATASET_SEED=${stored.seed} (now ${wanted.seed})`);
  if (stored.referenceDate !== wanted.referenceDate)
    diffs.push(`DATASET_REFERENCE_DATE=${stored.referenceDate} (now ${wanted.referenceDate})`);
  if (diffs.length > 0) {
    throw new ConfigError(
      `The database ${path} was generated with ${diffs.join(', ')}. ` +
        `Set the settings back, or regenerate it: ${regenerate}`,
    );
  }
}
