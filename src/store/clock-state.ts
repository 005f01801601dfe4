// What POST /_mock/clock has added to the data set, kept in the database's meta table: how many
// days of activity, and the last rid of the seeded data (rows above it are the clock's).
// Reading and removing it needs no generator, so the server loads the generator only to add.
import type { Db } from './database.js';
import { createResourceRepository } from './resource-repository.js';

export interface ClockState {
  /** Days of activity added so far. */
  days: number;
  /** The last rid of the seeded data: rows above it were added by the clock. */
  seededMaxRid: number;
}

export function readClockState(db: Db): ClockState {
  const raw = db.prepare("SELECT value FROM meta WHERE key = 'clock'").pluck().get() as string | undefined;
  if (raw) return JSON.parse(raw) as ClockState;
  return { days: 0, seededMaxRid: createResourceRepository(db).maxRid() };
}

export function writeClockState(db: Db, state: ClockState): void {
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)").run(JSON.stringify(state));
}

/** Removes what the clock added (POST /_mock/reset); returns how many resources. */
export function removeActivity(db: Db): number {
  const state = readClockState(db);
  const removed = db.prepare('DELETE FROM resource WHERE rid > ?').run(state.seededMaxRid).changes;
  db.prepare("DELETE FROM meta WHERE key = 'clock'").run();
  return removed;
}
