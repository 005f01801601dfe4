// The server's one door to the data generator (seed/). The generator loads faker and its locale
// tables (tens of MB) and, while it runs, grows the heap for millions of short-lived objects; a
// server that opens an existing database never needs it, so nothing here loads it at start.
// A database file is seeded in a child process, so that none of that memory stays with the
// server once seeding is done; an in-memory database (tests) and the clock route's activity
// can only be written from this process, and load the generator here on first use.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatasetParams } from '../config.js';
import type { Db } from '../store/database.js';
import type { SeedingError, SeedingReport, SeedingRequest } from './seeding-protocol.js';

const generator = () => import('../../seed/in-process.js');

/** Fills an open, empty (in-memory) database with the population, in this process. */
export async function seedInMemory(db: Db, dataset: DatasetParams, signal?: AbortSignal): Promise<Record<string, number>> {
  return (await generator()).seedInto(db, dataset, { signal });
}

/** Adds `days` days of clinical activity ending at `now` (POST /_mock/clock); returns the count per type. */
export async function addActivity(db: Db, dataset: DatasetParams, days: number, now: number): Promise<Record<string, number>> {
  return (await generator()).addActivity(db, dataset, days, now);
}

/**
 * Creates the database file at `path` in a child process, atomically. Aborting `signal` stops
 * the child (it removes its temporary file) and rejects with the signal's reason once it exited.
 */
export function createDatabaseFile(path: string, dataset: DatasetParams, signal?: AbortSignal): Promise<Record<string, number>> {
  signal?.throwIfAborted();
  const { entry, execArgv } = seedingProcess();
  const request: SeedingRequest = { path, dataset };
  return new Promise((resolve, reject) => {
    const child = fork(entry, [JSON.stringify(request)], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let report: SeedingReport | undefined;
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('message', (message) => (report = message as SeedingReport));
    // A process that could not be started has no 'close' to wait for.
    child.on('error', (err) => {
      if (child.pid !== undefined) return;
      signal?.removeEventListener('abort', stop);
      reject(err);
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) reject(signal.reason);
      else if (report?.type === 'seeded') resolve(report.counts);
      else if (report?.type === 'failed') reject(asError(report.error));
      else reject(new Error(`the seeding process ended (${code ?? killedBy}) without a report`));
    });
  });
}

/**
 * The seeding process's entry, beside this module: compiled JavaScript under dist/, TypeScript
 * when the server runs from its sources (tsx, vitest), which the child then loads through tsx.
 */
function seedingProcess(): { entry: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../../seed/seed-process.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  const hasTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  return { entry, execArgv: fromSources && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv };
}

function asError(reported: SeedingError): Error {
  const err = Object.assign(new Error(reported.message), reported.code === undefined ? {} : { code: reported.code });
  err.name = reported.name;
  if (reported.stack !== undefined) err.stack = reported.stack;
  return err;
}
