// Lifetimes, on the injected clock: a finished job and its files live JOB_TTL_SECONDS from the
// moment the manifest is ready (the Expires header says when), then answer 404; the sweep
// removes expired jobs, their files and expired tokens; a download already under way when
// its job expires is served to the end.
import { afterEach, describe, expect, it } from 'vitest';
import {
  BASE,
  T0,
  bearer,
  buildTestApp,
  download,
  getToken,
  kickOff,
  pathOf,
  seededDatabaseCopy,
  type Manifest,
  storedCounts,
  type TestApp,
} from '../helper.js';
import { PAGE_ROWS } from '../../src/export/ndjson-stream.js';
import { ManualClock } from '../../src/clock.js';
import { until } from './support/until.js';

const TTL_SECONDS = 600;
let apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps) await t.app.close();
  apps = [];
});
async function start(env: Record<string, string> = {}, clock?: ManualClock): Promise<TestApp> {
  const t = await buildTestApp({ JOB_TTL_SECONDS: String(TTL_SECONDS), ...env }, clock);
  apps.push(t);
  return t;
}

const count = (t: TestApp, sql: string, ...args: unknown[]) => t.app.store.repos().db.prepare(sql).pluck().get(...args) as number;

/** Kicks off and waits for the job to finish without touching the clock; returns the poll path. */
async function finishedJob(t: TestApp, token: string, query = ''): Promise<{ poll: string; jobId: string }> {
  const kick = await kickOff(t.app, token, query);
  expect(kick.statusCode).toBe(202);
  const poll = pathOf(kick.headers['content-location'] as string);
  const jobId = new URLSearchParams(poll.split('?')[1]).get('_jobId')!;
  await until(() => t.app.store.repos().jobs.get(jobId)!.status === 'completed', `job ${jobId} completed`);
  return { poll, jobId };
}

describe('job lifetime', () => {
  it('the manifest says when it expires; manifest and files answer until then and 404 from then on', async () => {
    const t = await start();
    const token = await getToken(t.app);
    const { poll } = await finishedJob(t, token);
    const ready = await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers.expires).toBe(new Date(T0 + TTL_SECONDS * 1000).toUTCString());
    expect(ready.headers.expires).toBe('Sun, 01 Mar 2026 00:10:00 GMT');
    const manifest = ready.json() as Manifest;
    const file = manifest.output[0]!.url;

    t.clock.set(T0 + TTL_SECONDS * 1000 - 1);
    expect((await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) })).statusCode).toBe(200);
    expect((await download(t.app, file, token)).statusCode).toBe(200);

    t.clock.set(T0 + TTL_SECONDS * 1000);
    const gone = await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(gone.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found', diagnostics: expect.stringContaining('has expired') }] });
    const fileGone = await download(t.app, file, token);
    expect(fileGone.statusCode).toBe(404);
    expect(fileGone.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found', diagnostics: expect.stringContaining('has expired') }] });
    // Nor can it be cancelled any more.
    const cancel = await t.app.inject({ method: 'DELETE', url: poll, headers: bearer(token) });
    expect(cancel.statusCode).toBe(404);
    expect(cancel.json()).toMatchObject({ issue: [{ code: 'not-found', diagnostics: expect.stringContaining('has expired') }] });
  });

  it('counts the lifetime from when the manifest is ready, not from the kick-off', async () => {
    const t = await start({ JOB_MIN_DURATION_MS: '5000' });
    const token = await getToken(t.app);
    const { poll } = await finishedJob(t, token);
    expect((await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) })).statusCode).toBe(202);
    t.clock.advance(5000);
    const ready = await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers.expires).toBe(new Date(T0 + 5000 + TTL_SECONDS * 1000).toUTCString());
  });

  it('the sweep removes expired jobs with their files, long-cancelled jobs and expired tokens, and nothing else', async () => {
    const t = await start({ TOKEN_TTL_SECONDS: String(TTL_SECONDS * 2) });
    const token = await getToken(t.app);
    const old = await finishedJob(t, token, '?_type=Patient');
    const cancelled = await kickOff(t.app, token, '?_type=Condition');
    await t.app.inject({ method: 'DELETE', url: pathOf(cancelled.headers['content-location'] as string), headers: bearer(token) });

    t.clock.advance(TTL_SECONDS * 1000);
    const fresh = await finishedJob(t, token, '?_type=Patient');
    expect(count(t, 'SELECT COUNT(*) FROM job')).toBe(3);
    expect(count(t, 'SELECT COUNT(*) FROM job_file WHERE job_id = ?', old.jobId)).toBe(1);

    await t.app.jobRunner.sweep();
    expect(count(t, 'SELECT COUNT(*) FROM job')).toBe(1);
    expect(t.app.store.repos().jobs.get(fresh.jobId)?.status).toBe('completed');
    expect(count(t, 'SELECT COUNT(*) FROM job_file WHERE job_id = ?', old.jobId)).toBe(0);
    expect(count(t, 'SELECT COUNT(*) FROM job_file')).toBe(1);
    const oldPoll = await t.app.inject({ method: 'GET', url: old.poll, headers: bearer(token) });
    expect(oldPoll.statusCode).toBe(404);
    expect(oldPoll.json()).toMatchObject({ issue: [{ diagnostics: `No export job ${old.jobId}.` }] });

    // The token lives twice as long as the jobs: swept only once its own time is up.
    expect(count(t, 'SELECT COUNT(*) FROM token')).toBe(1);
    t.clock.advance(TTL_SECONDS * 1000);
    await t.app.jobRunner.sweep();
    expect(count(t, 'SELECT COUNT(*) FROM token')).toBe(0);
    expect(count(t, 'SELECT COUNT(*) FROM job')).toBe(0);
  });

  it('a server started after a job expired sweeps it at once', async () => {
    const path = await seededDatabaseCopy();
    const first = await start({ DATABASE_PATH: path });
    const token = await getToken(first.app);
    await finishedJob(first, token);
    await first.app.close();
    apps = [];

    const later = await start({ DATABASE_PATH: path }, new ManualClock(T0 + TTL_SECONDS * 1000));
    // The start-up sweep runs as soon as the store is ready, before the first request.
    await until(() => count(later, 'SELECT COUNT(*) FROM job') === 0, 'the start-up sweep');
    expect(count(later, 'SELECT COUNT(*) FROM job_file')).toBe(0);
  });

  it('a download under way when its job expires and is swept is served to the end', async () => {
    // One file of every Observation, streamed in pages of PAGE_ROWS rows.
    const t = await start({ FILE_MAX_RESOURCES: '1000000' });
    const n = storedCounts(t.app).Observation!;
    expect(n).toBeGreaterThan(PAGE_ROWS);
    const token = await getToken(t.app);
    const { poll, jobId } = await finishedJob(t, token, '?_type=Observation');
    const manifest = (await t.app.inject({ method: 'GET', url: poll, headers: bearer(token) })).json() as Manifest;
    expect(manifest.output.map((o) => o.count)).toEqual([n]);
    const expected = (await download(t.app, manifest.output[0]!.url, token)).body;

    // After the first page, the job expires and a sweep starts; it deletes the job while the
    // download is still under way.
    const resources = t.app.store.repos().resources;
    const readPage = resources.ndjsonAfter;
    const pages: { jobExists: boolean; rows: number }[] = [];
    let sweep: Promise<void> | undefined;
    resources.ndjsonAfter = (...args) => {
      const page = readPage(...args);
      pages.push({ jobExists: t.app.store.repos().jobs.get(jobId) !== undefined, rows: page?.count ?? 0 });
      if (pages.length === 1) {
        t.clock.set(T0 + TTL_SECONDS * 1000);
        sweep = t.app.jobRunner.sweep();
      }
      return page;
    };
    try {
      const res = await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[0]!.url}`, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(expected);
      expect(res.body.split('\n')).toHaveLength(n + 1);
    } finally {
      resources.ndjsonAfter = readPage;
    }
    await sweep;
    const pageRows = Array.from({ length: Math.ceil(n / PAGE_ROWS) }, (_, i) => Math.min(PAGE_ROWS, n - i * PAGE_ROWS));
    expect(pageRows.length).toBeGreaterThan(3);
    expect(pages.map((p) => p.rows)).toEqual(pageRows);
    expect(pages[0]!.jobExists).toBe(true);
    expect(pages.at(-1)!.jobExists).toBe(false);
    // A new request for the same file, now that the job is gone, is refused.
    expect((await download(t.app, manifest.output[0]!.url, token)).statusCode).toBe(404);
  });
});
