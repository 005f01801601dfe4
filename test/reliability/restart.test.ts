// Restarts, in process: the app is closed and built again on the same database file. A
// finished job's manifest and files, and the tokens, survive; a job that was running or
// queued when the server stopped is picked up again and finishes; one that cannot be run is
// marked failed with an OperationOutcome. None is left "in progress".
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { v4 as uuidv4 } from 'uuid';
import {
  T0,
  bearer,
  buildTestApp,
  download,
  getToken,
  kickOff,
  pathOf,
  pollUntilDone,
  runExport,
  seededDatabaseCopy,
  type Manifest,
  type TestApp,
} from '../helper.js';
import { until } from './support/until.js';

let open: TestApp[] = [];
afterEach(async () => {
  for (const t of open) await t.app.close();
  open = [];
});
async function start(env: Record<string, string>): Promise<TestApp> {
  const t = await buildTestApp(env);
  open.push(t);
  return t;
}
async function stop(t: TestApp): Promise<void> {
  await t.app.close();
  open = open.filter((o) => o !== t);
}

/** Job statuses as the file holds them while no server has it open. */
function statusesOnDisk(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, status FROM job').all() as { id: string; status: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.status]));
  } finally {
    db.close();
  }
}

const jobIdOf = (pollUrl: string) => new URL(pollUrl).searchParams.get('_jobId')!;

describe('restart on the same database file', () => {
  it('runs the database in WAL mode with synchronous=NORMAL, so a crash loses nothing acknowledged', async () => {
    const t = await start({ DATABASE_PATH: await seededDatabaseCopy() });
    const { db } = t.app.store.repos();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 1 = NORMAL: in WAL mode, a commit survives a process crash (a power loss may lose the last ones).
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('keeps a finished job: the same manifest, the same file bytes, and the token still works', async () => {
    const path = await seededDatabaseCopy();
    const before = await start({ DATABASE_PATH: path });
    const token = await getToken(before.app);
    const kick = await kickOff(before.app, token, '?_type=Patient,Observation');
    const pollUrl = kick.headers['content-location'] as string;
    const manifest = (await pollUntilDone(before, pollUrl, token)).final.json() as Manifest;
    const bodies = await Promise.all(manifest.output.map(async (o) => (await download(before.app, o.url, token)).body));
    await stop(before);

    const after = await start({ DATABASE_PATH: path });
    const poll = await after.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(token) });
    expect(poll.statusCode).toBe(200);
    expect(poll.json()).toEqual(manifest);
    for (const [i, o] of manifest.output.entries()) {
      const res = await download(after.app, o.url, token);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(bodies[i]);
    }
  });

  it('resumes a job that was running and one that was queued when the server stopped', async () => {
    const path = await seededDatabaseCopy();
    // One file per resource keeps the jobs busy long enough to be caught running.
    const env = { DATABASE_PATH: path, FILE_MAX_RESOURCES: '1', JOB_CONCURRENCY: '1' };
    const before = await start(env);
    const token = await getToken(before.app);
    const running = (await kickOff(before.app, token)).headers['content-location'] as string;
    const queued = (await kickOff(before.app, token, '?_type=Patient')).headers['content-location'] as string;
    await stop(before);
    expect(statusesOnDisk(path)).toEqual({ [jobIdOf(running)]: 'in-progress', [jobIdOf(queued)]: 'accepted' });

    const after = await start(env);
    const resumed = (await pollUntilDone(after, running, token)).final;
    expect(resumed.statusCode).toBe(200);
    const queuedDone = (await pollUntilDone(after, queued, token)).final;
    expect(queuedDone.statusCode).toBe(200);

    // What the resumed jobs hold is what the same exports give when never interrupted.
    const reference = await runExport(after, '', token);
    const shape = (m: Manifest) => m.output.map((o) => [o.type, o.count]);
    expect(shape(resumed.json() as Manifest)).toEqual(shape(reference));
    expect(shape(queuedDone.json() as Manifest)).toEqual(shape(reference).filter(([type]) => type === 'Patient'));
    const manifest = resumed.json() as Manifest;
    for (const i of [0, 100, 835]) {
      expect((await download(after.app, manifest.output[i]!.url, token)).body).toBe(
        (await download(after.app, reference.output[i]!.url, token)).body,
      );
    }
    expect(Object.values(statusesOnDisk(path)).filter((s) => s === 'in-progress' || s === 'accepted')).toEqual([]);
  });

  it('marks a job that cannot be run on resume as failed, with an OperationOutcome, instead of leaving it in progress', async () => {
    const path = await seededDatabaseCopy();
    const env = { DATABASE_PATH: path };
    const seed = await start(env);
    const token = await getToken(seed.app);
    await stop(seed);

    // Rows a crashed or older server could leave: one whose parameters cannot be exported,
    // one whose parameters cannot even be read.
    const broken = uuidv4();
    const unreadable = uuidv4();
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO job (id, owner, status, request, params, created_at, transaction_time, watermark)
       VALUES (?, 'demo@example.com', 'in-progress', 'http://127.0.0.1:3000/x', ?, ?, '2026-03-01T00:00:00.000Z', 1)`,
    );
    insert.run(broken, JSON.stringify({ types: 5, ignored: [] }), T0);
    insert.run(unreadable, '{not json', T0);
    db.close();

    const after = await start(env);
    const settled = () => statusesOnDisk(path);
    await until(() => settled()[broken] === 'failed' && settled()[unreadable] === 'failed', 'both jobs marked failed');
    const poll = await after.app.inject({ method: 'GET', url: `/api/v1/connect/fhir/$export-poll-status?_jobId=${broken}`, headers: bearer(token) });
    expect(poll.statusCode).toBe(500);
    expect(poll.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(poll.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'The export failed on the server; start a new export.' }],
    });
    // A failed job expires like any other.
    expect(after.app.store.repos().jobs.get(broken)!.expiresAt).toBe(T0 + 3600 * 1000);
  });
});
