// What the server and its seeding process say to each other: the server passes the request as
// the process's one argument; the process sends one report over its IPC channel, then exits.
import type { DatasetParams } from '../config.js';

export interface SeedingRequest {
  path: string;
  dataset: DatasetParams;
}

/** An error as it crosses the process boundary: enough for the server's log to say what failed. */
export interface SeedingError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export type SeedingReport = { type: 'seeded'; counts: Record<string, number> } | { type: 'failed'; error: SeedingError };
