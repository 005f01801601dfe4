// What the server runs of the generator inside its own process, loaded on first use through
// src/seeding/generator-port.ts: filling an in-memory database, and the new clinical activity
// of POST /_mock/clock. A database file is seeded in a process of its own (seed-process.ts).
export { seedInto } from './seed-database.js';
export { addActivity } from './activity.js';
