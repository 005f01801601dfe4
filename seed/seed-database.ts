// Builds a database file from the generator. It writes into a temporary file beside the
// target and renames it into place only when complete, so a start that is killed half-way
// never leaves a half database behind. Work is done in batches with a pause for the event
// loop between them, so a request to stop (a signal, the server closing) is seen between two
// batches. A server's first start runs this in a process of its own (seed-process.ts).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { DatasetParams } from '../src/config.js';
import { openDatabase, writeDatasetMeta, type Db } from '../src/store/database.js';
import { createResourceRepository, type NewResource } from '../src/store/resource-repository.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from '../src/store/schema.js';
import { GENERATOR_VERSION, generatePopulation } from './generator.js';
import { addGroups } from './groups.js';
import { addProvenance } from './provenance.js';

export interface SeedProgress {
  patientsDone: number;
  patientsTotal: number;
  resources: number;
}

export interface SeedOptions {
  onProgress?: (progress: SeedProgress) => void;
  /** Resources per transaction. */
  batchSize?: number;
  /** Stops the seeding between two batches (it then throws the signal's reason). */
  signal?: AbortSignal;
}

/** Fills an open, empty database with the population. Returns the count of resources per type. */
export async function seedInto(db: Db, params: DatasetParams, options: SeedOptions = {}): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 5000;
  const repo = createResourceRepository(db);
  const counts: Record<string, number> = {};
  let batch: NewResource[] = [];
  let patientsDone = 0;
  let resources = 0;
  const flush = async () => {
    repo.insertMany(batch);
    batch = [];
    options.onProgress?.({ patientsDone, patientsTotal: params.patients, resources });
    await nextTick();
    options.signal?.throwIfAborted();
  };
  const rebuild = dropIndexesWhileEmpty(db);
  for (const r of generatePopulation(params)) {
    if (r.type === 'Patient') patientsDone++;
    counts[r.type] = (counts[r.type] ?? 0) + 1;
    resources++;
    batch.push({ type: r.type, id: r.id, patientId: r.patientId, lastUpdated: r.lastUpdated, json: JSON.stringify(r.resource) });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  rebuild();
  options.signal?.throwIfAborted();
  counts.Group = addGroups(db, { idSeed: String(params.seed), lastUpdated: `${params.referenceDate}T00:00:00.000Z` });
  counts.Provenance = addProvenance(db, { idSeed: String(params.seed), reviewedAt: `${params.referenceDate}T00:00:00.000Z` });
  writeDatasetMeta(db, { ...params, schemaVersion: SCHEMA_VERSION, generator: GENERATOR_VERSION });
  return counts;
}

/**
 * Loading an empty table is several times faster without its indexes (random UUIDs make every
 * insert into the (type, id) index a random write); they are built once at the end, from the
 * schema itself, which creates whatever is missing. Returns the function that rebuilds them.
 */
export function dropIndexesWhileEmpty(db: Db): () => void {
  if (db.prepare('SELECT EXISTS (SELECT 1 FROM resource)').pluck().get() === 1) return () => undefined;
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resource' AND sql IS NOT NULL")
    .pluck()
    .all() as string[];
  for (const name of names) db.exec(`DROP INDEX "${name}"`);
  return () => db.exec(SCHEMA_SQL);
}

/** Creates the database file at `path` (replacing any there) atomically. */
export async function createSeededDatabase(
  path: string,
  params: DatasetParams,
  options: SeedOptions = {},
): Promise<Record<string, number>> {
  return buildDatabaseFile(path, 'seeding', (db) => seedInto(db, params, options));
}

/**
 * Builds the database file at `path` (replacing any there) atomically: `fill` writes into a
 * temporary file beside it, renamed into place only once complete and closed, and removed
 * if anything fails.
 */
export async function buildDatabaseFile<T>(path: string, purpose: string, fill: (db: Db) => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  removeAbandonedBuilds(path);
  const tmp = `${path}.${purpose}-${BUILDER}`;
  removeDatabaseFiles(tmp);
  const db = openDatabase(tmp);
  try {
    // Nothing in a file that is not yet in place needs to survive a crash: the journal stays
    // in memory (SQLite's defensive mode refuses none at all), no syncs, and a page cache large
    // enough to build the indexes at the end in few passes.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    const result = await fill(db);
    db.pragma('journal_mode = WAL');
    db.close();
    removeDatabaseFiles(path);
    renameSync(tmp, path);
    return result;
  } catch (err) {
    if (db.open) db.close();
    removeDatabaseFiles(tmp);
    throw err;
  }
}

/** Who builds: host name and process id, so builds on one shared volume never share a name. */
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_');
const BUILDER = `${HOST}-${process.pid}`;
/** A build writes to its file all the time; one untouched for this long is abandoned. */
export const ABANDONED_AFTER_MS = 15 * 60_000;

/**
 * Removes the temporary files of builds of `path` that were killed half-way (kill -9, a crash,
 * a container stopped while seeding), so a server that keeps being restarted does not fill its
 * volume: a build of this host whose process is gone, or any build whose file has not been
 * written for ABANDONED_AFTER_MS (another host's or container's processes cannot be asked).
 */
export function removeAbandonedBuilds(path: string, now = Date.now()): void {
  const prefix = `${basename(path)}.`;
  const build = /^(?:seeding|importing)-(?:(.+)-)?(\d+)(?:-wal|-shm|-journal)?$/;
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const match = build.exec(name.slice(prefix.length));
    if (!match) continue;
    const file = join(dirname(path), name);
    const written = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (written === undefined) continue;
    const pid = Number(match[2]);
    const gone = match[1] === HOST && (pid === process.pid || !isRunning(pid));
    if (gone || now - written > ABANDONED_AFTER_MS) rmSync(file, { force: true });
  }
}

/** Whether a process with this id runs on this host. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a database file and its WAL, shared-memory and journal companions. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) rmSync(path + suffix);
  }
}
