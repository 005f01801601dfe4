// The server as a process: SIGTERM lets the request in flight finish, stops the jobs so the
// next start resumes them, closes the database cleanly and exits 0 (close-with-grace would
// exit 1 had it taken longer than its 10 s); kill -9 in the middle of exports loses nothing
// that was acknowledged; by default the server binds to loopback only; a server that seeded its
// database on first start keeps no more memory than one restarted on that file.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { openDatabase } from '../../src/store/database.js';
import { BASE, bearer, buildTestApp, download, freshDatabasePath, pathOf, pollUntilDone, seededDatabaseCopy, type Manifest, type TestApp } from '../helper.js';
import { send } from './support/http-client.js';
import { killAll, startServer, type ServerProcess } from './support/spawn-server.js';

let inProcess: TestApp | undefined;
afterEach(async () => {
  killAll();
  await inProcess?.app.close();
  inProcess = undefined;
});

async function tokenFrom(server: ServerProcess): Promise<string> {
  const res = await send(
    { port: server.port },
    {
      method: 'POST',
      path: '/oauth/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }),
    },
  );
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

async function kickOffOn(server: ServerProcess, token: string, query = ''): Promise<string> {
  const res = await send({ port: server.port }, { path: `${BASE}/fhir/$export${query}`, headers: bearer(token) });
  expect(res.status).toBe(202);
  return res.headers['content-location'] as string;
}

async function pollOn(server: ServerProcess, pollUrl: string, token: string): Promise<Manifest> {
  for (let i = 0; i < 500; i++) {
    const res = await send({ port: server.port }, { path: pathOf(pollUrl), headers: bearer(token) });
    if (res.status === 200) return JSON.parse(res.text) as Manifest;
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the job at ${pollUrl} did not finish`);
}

/** The same database file, opened by a fresh in-process server with a clock near real time (the child ran on real time). */
async function cleanStart(path: string): Promise<TestApp> {
  inProcess = await buildTestApp({ DATABASE_PATH: path, FILE_MAX_RESOURCES: '1' }, new ManualClock(Date.now()));
  return inProcess;
}

/** With one resource per file, a full export has a file per exportable resource. */
function fullExportFiles(path: string): number {
  const db = openDatabase(path);
  try {
    const types = JSON.stringify(EXPORTABLE_TYPES);
    return db.prepare('SELECT COUNT(*) FROM resource WHERE type IN (SELECT value FROM json_each(?))').pluck().get(types) as number;
  } finally {
    db.close();
  }
}

describe('SIGTERM', () => {
  it('finishes the request in flight, stops the jobs for the next start, closes the database and exits 0', async () => {
    const path = await seededDatabaseCopy();
    const server = await startServer({ DATABASE_PATH: path, FILE_MAX_RESOURCES: '1', JOB_CONCURRENCY: '1', JOB_MIN_DURATION_MS: '0' });
    const token = await tokenFrom(server);
    const jobs: string[] = [];
    for (let i = 0; i < 10; i++) jobs.push(await kickOffOn(server, token));

    // A token request whose body is only half sent: in flight when the signal comes.
    const body = JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' });
    const socket = connect(server.port, '127.0.0.1');
    const response = new Promise<string>((resolve, reject) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: drain-check\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await server.waitForLog((e) => e.reqId === 'drain-check' && e.msg === 'incoming request', 'the half-sent request');

    server.child.kill('SIGTERM');
    await server.waitForLog((e) => e.msg === 'server closing' && e.signal === 'SIGTERM', 'that it is closing');
    // Not a half-close: the server, not the client, must end this keep-alive connection.
    socket.write(body.slice(10));
    const answer = await response;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(answer).toMatch(/"access_token":"[A-Za-z0-9_-]{43}"/);

    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The last connection closed cleanly: SQLite folded the WAL back and removed it.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const closing = server.logs.findIndex((e) => e.msg === 'server closing');
    const served = server.logs.findIndex((e) => e.reqId === 'drain-check' && e.msg === 'request completed');
    expect(served).toBeGreaterThan(closing);

    // No job failed for the shutdown; whatever was not done is resumed by the next start.
    const db = new Database(path, { readonly: true });
    const statuses = db.prepare('SELECT status FROM job').pluck().all() as string[];
    db.close();
    expect(statuses).toHaveLength(10);
    expect(statuses.filter((s) => !['completed', 'in-progress', 'accepted'].includes(s))).toEqual([]);
    const interrupted = server.logs.filter((e) => e.outcome === 'interrupted' && typeof e.jobId === 'string');
    expect(interrupted).toHaveLength(statuses.filter((s) => s === 'in-progress').length);
    const t = await cleanStart(path);
    for (const pollUrl of jobs) {
      const { final } = await pollUntilDone(t, pollUrl, token, 5000);
      expect(final.statusCode).toBe(200);
      expect((final.json() as Manifest).output).toHaveLength(fullExportFiles(path));
    }
  });
});

describe('SIGTERM while the first start seeds', () => {
  it('stops the seeding, leaves no file behind and exits 0', async () => {
    const path = freshDatabasePath();
    // Far more patients than could be seeded before the signal comes.
    const server = await startServer({ DATABASE_PATH: path, DATASET_PATIENTS: '20000' });
    await server.waitForLog((e) => e.msg === 'database absent: creating and seeding it', 'that it seeds');
    expect((await send({ port: server.port }, { path: '/health' })).status).toBe(503);

    server.child.kill('SIGTERM');
    // close-with-grace would exit 1 after its 10 s had the close waited for the seeding.
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.logs.some((e) => e.msg === 'seeding stopped: the server is closing; the next start seeds again')).toBe(true);
    expect(server.logs.some((e) => e.level === 60)).toBe(false);
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith(basename(path)))).toEqual([]);
  });
});

/** The server's resident memory, in MB, from the kernel's view of the process. */
function residentMb(server: ServerProcess): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'));
  if (!kb) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(kb[1]) / 1024;
}

/** A full export (every type), polled until done, every file downloaded; returns the resources read. */
async function exportEverything(server: ServerProcess): Promise<number> {
  const token = await tokenFrom(server);
  const pollUrl = await kickOffOn(server, token);
  const deadline = Date.now() + 120_000;
  let manifest: Manifest | undefined;
  while (!manifest) {
    if (Date.now() > deadline) throw new Error(`the export at ${pollUrl} did not finish in 120 s`);
    const res = await send({ port: server.port }, { path: pathOf(pollUrl), headers: bearer(token) });
    if (res.status === 200) manifest = JSON.parse(res.text) as Manifest;
    else expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
  }
  let lines = 0;
  for (const file of manifest.output) {
    const res = await send({ port: server.port }, { path: `${BASE}${file.url}`, headers: bearer(token) });
    expect(res.status).toBe(200);
    lines += res.text.split('\n').filter((l) => l !== '').length;
  }
  return lines;
}

async function healthy(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 240_000;
  while ((await send({ port: server.port }, { path: '/health' })).status !== 200) {
    if (Date.now() > deadline) throw new Error('the server did not become healthy in 240 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('memory after a first start', () => {
  it('is within 25 % of the same server restarted on the database it seeded', async () => {
    const path = freshDatabasePath();
    // As `npm start` and the Docker image run it; enough patients that seeding's memory shows.
    const env = { DATABASE_PATH: path, DATASET_PATIENTS: '400', JOB_MIN_DURATION_MS: '0', MALLOC_ARENA_MAX: '2' };
    const first = await startServer(env);
    await first.waitForLog((e) => e.msg === 'database absent: creating and seeding it', 'that it seeds');
    await healthy(first);
    const resources = await exportEverything(first);
    const firstMb = residentMb(first);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const restarted = await startServer(env);
    expect(restarted.logs.some((e) => e.msg === 'database absent: creating and seeding it')).toBe(false);
    expect(await exportEverything(restarted)).toBe(resources);
    const restartedMb = residentMb(restarted);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toEqual({ code: 0, signal: null });

    console.log(`resident memory after a full export of ${resources} resources: first start ${firstMb.toFixed(0)} MB, restart ${restartedMb.toFixed(0)} MB`);
    expect(Math.max(firstMb, restartedMb) / Math.min(firstMb, restartedMb)).toBeLessThanOrEqual(1.25);
  }, 600_000);
});

describe('a bad setting', () => {
  it('stops the start with exit code 1 and a message naming the variable', async () => {
    await expect(startServer({ PORT: 'abc', DATABASE_PATH: freshDatabasePath() })).rejects.toThrow(/exited \(1\)[\s\S]*PORT="abc"/);
  });
});

describe('a first start that cannot create its database', () => {
  it('logs why and exits 1 instead of answering 503 for ever', async () => {
    const notAFolder = freshDatabasePath();
    writeFileSync(notAFolder, 'a file where the database folder should be');
    const server = await startServer({ DATABASE_PATH: join(notAFolder, 'verto-mock.db') });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    const fatal = server.logs.find((e) => e.level === 60);
    expect(fatal?.msg).toBe('could not create the database');
    // Node names the file in the way EEXIST or ENOTDIR, depending on its version.
    expect((fatal?.err as { code?: string } | undefined)?.code).toMatch(/^(EEXIST|ENOTDIR)$/);
  });
});

describe('kill -9', () => {
  it('loses nothing that was acknowledged: tokens, finished jobs and their files, accepted jobs', async () => {
    const path = await seededDatabaseCopy();
    const server = await startServer({ DATABASE_PATH: path, FILE_MAX_RESOURCES: '1', JOB_CONCURRENCY: '1', JOB_MIN_DURATION_MS: '0' });
    const token = await tokenFrom(server);
    const finishedUrl = await kickOffOn(server, token, '?_type=Patient,Condition');
    const finished = await pollOn(server, finishedUrl, token);
    const bodies = await Promise.all(
      finished.output.slice(0, 5).map(async (o) => (await send({ port: server.port }, { path: `${BASE}${o.url}`, headers: bearer(token) })).text),
    );
    const accepted: string[] = [];
    for (let i = 0; i < 5; i++) accepted.push(await kickOffOn(server, token));
    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const t = await cleanStart(path);
    expect(t.app.store.repos().db.pragma('integrity_check', { simple: true })).toBe('ok');
    const again = await t.app.inject({ method: 'GET', url: pathOf(finishedUrl), headers: bearer(token) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(finished);
    for (const [i, o] of finished.output.slice(0, 5).entries()) expect((await download(t.app, o.url, token)).body).toBe(bodies[i]);
    for (const pollUrl of accepted) {
      const { final } = await pollUntilDone(t, pollUrl, token, 5000);
      expect(final.statusCode).toBe(200);
      expect((final.json() as Manifest).output).toHaveLength(fullExportFiles(path));
    }
  });
});

describe('binding', () => {
  it('listens on loopback when HOST is not set', async () => {
    const path = await seededDatabaseCopy();
    const server = await startServer({ DATABASE_PATH: path, HOST: '' });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await send({ port: server.port }, { path: '/health' })).status).toBe(200);
  });
});
