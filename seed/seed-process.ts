// A first start's seeding, in a process of its own: the server forks this with the database
// path and data set; it builds the file as the seed CLI does (in a temporary file renamed into
// place when complete) and reports the counts, or why it failed, then exits. Everything the
// generator took (faker and its locale tables, V8's heap grown for millions of objects, malloc
// arenas) goes back to the system with the process, instead of staying in the server for life.
import type { SeedingError, SeedingReport, SeedingRequest } from '../src/seeding/seeding-protocol.js';
import { createSeededDatabase } from './seed-database.js';

// The server stops it with SIGTERM; Ctrl-C in a terminal sends SIGINT to it as well; a server
// that died leaves the IPC channel closed. Each stops the seeding between two batches, and the
// temporary file is removed before the process exits.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort(new Error(`seeding stopped (${signal})`)));
process.on('disconnect', () => stop.abort(new Error('the server is gone')));

function report(message: SeedingReport): void {
  if (process.connected) process.send!(message, () => process.disconnect());
}

function describeError(err: unknown): SeedingError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as NodeJS.ErrnoException).code;
  return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' ? { code } : {}) };
}

const request = JSON.parse(process.argv[2] ?? '{}') as SeedingRequest;
try {
  const counts = await createSeededDatabase(request.path, request.dataset, { signal: stop.signal });
  report({ type: 'seeded', counts });
} catch (err) {
  process.exitCode = 1;
  report({ type: 'failed', error: describeError(err) });
}
