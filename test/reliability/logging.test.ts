// Structured logs: every line of a request carries its request id (the caller's, when it is
// sane; echoed as X-Request-Id), and a job's whole life — created, started (with its time in
// the queue), completed with its files and duration, failed, cancelled — can be read by
// filtering the log on its jobId.
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, bearer, expectedFileCount, getToken, kickOff, pathOf, storedCounts } from '../helper.js';
import { buildLoggedApp, type LoggedApp } from './support/logged-app.js';
import { until } from './support/until.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: LoggedApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

const jobIdOf = (contentLocation: unknown) => new URL(contentLocation as string).searchParams.get('_jobId')!;
/** The job's own lines, without the "request completed" lines of the requests about it. */
const lifeOf = (app: LoggedApp, jobId: string) => app.log.entries().filter((e) => e.jobId === jobId && e.msg !== 'request completed');

describe('request id', () => {
  it('takes a sane X-Request-Id from the caller, echoes it and puts it on every log line of the request', async () => {
    t = await buildLoggedApp();
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'ci-run-42.step:7' } });
    expect(res.headers['x-request-id']).toBe('ci-run-42.step:7');
    const lines = t.log.entries().filter((e) => e.reqId === 'ci-run-42.step:7');
    expect(lines.map((e) => e.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[0]).toMatchObject({ req: { method: 'GET', url: '/health' } });
    expect(lines[1]).toMatchObject({ res: { statusCode: 200 } });
    expect(typeof lines[1]!.responseTime).toBe('number');
  });

  it('replaces an id that is not sane with a random UUID, and gives one to requests that bring none', async () => {
    t = await buildLoggedApp();
    for (const given of ['has space', 'a'.repeat(129), 'semi;colon', '<script>', '']) {
      const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
    }
    const none = await t.app.inject({ method: 'GET', url: '/nowhere' });
    expect(none.statusCode).toBe(404);
    expect(none.headers['x-request-id']).toMatch(UUID_V4);
    expect(t.log.entries().filter((e) => e.reqId === none.headers['x-request-id']).map((e) => e.msg)).toEqual([
      'incoming request',
      'request completed',
    ]);
  });
});

describe("a job's life in the log", () => {
  it('created (with the request id), started, completed with files, resources and duration', async () => {
    t = await buildLoggedApp();
    const token = await getToken(t.app);
    const kick = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient,Observation`, headers: { ...bearer(token), 'x-request-id': 'kick-1' } });
    const jobId = jobIdOf(kick.headers['content-location']);
    await until(() => t!.app.store.repos().jobs.get(jobId)!.status === 'completed', 'the job to complete');

    const life = lifeOf(t, jobId);
    expect(life.map((e) => e.msg)).toEqual(['export job created', 'export job started', 'export job completed']);
    expect(life[0]).toMatchObject({ level: 30, reqId: 'kick-1', exportLevel: 'system', types: ['Patient', 'Observation'], ignored: 0 });
    expect(life[1]).toMatchObject({ level: 30, component: 'jobs', types: ['Patient', 'Observation'], queuedMs: 0 });
    const counts = storedCounts(t.app);
    expect(life[2]).toMatchObject({
      level: 30,
      component: 'jobs',
      outcome: 'completed',
      files: expectedFileCount(t.app, 250, ['Patient', 'Observation']),
      resources: counts.Patient! + counts.Observation!,
    });
    expect(typeof life[2]!.ms).toBe('number');
    for (const e of life) expect(typeof e.time).toBe('number');
  });

  it("ties each poll and download to the job: their 'request completed' lines carry jobId (and fileId)", async () => {
    t = await buildLoggedApp();
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    const jobId = jobIdOf(kick.headers['content-location']);
    await until(() => t!.app.store.repos().jobs.get(jobId)!.status === 'completed', 'the job to complete');
    const poll = await t.app.inject({ method: 'GET', url: pathOf(kick.headers['content-location'] as string), headers: { ...bearer(token), 'x-request-id': 'poll-1' } });
    const fileUrl = (poll.json() as { output: { url: string }[] }).output[0]!.url;
    await t.app.inject({ method: 'GET', url: `${BASE}${fileUrl}`, headers: { ...bearer(token), 'x-request-id': 'download-1' } });
    const completed = (reqId: string) => t!.log.entries().filter((e) => e.reqId === reqId && e.msg === 'request completed');
    expect(completed('poll-1')).toEqual([expect.objectContaining({ jobId, res: { statusCode: 200 } })]);
    const fileId = /file\/([0-9a-f-]+)\/download/.exec(fileUrl)![1];
    expect(completed('download-1')).toEqual([expect.objectContaining({ jobId, fileId, res: { statusCode: 200 } })]);
  });

  it('records the time a job waited in the queue', async () => {
    t = await buildLoggedApp({ FILE_MAX_RESOURCES: '1', JOB_CONCURRENCY: '1' });
    const token = await getToken(t.app);
    await kickOff(t.app, token);
    const second = jobIdOf((await kickOff(t.app, token, '?_type=Patient')).headers['content-location']);
    t.clock.advance(5000);
    await until(() => t!.app.store.repos().jobs.get(second)!.status === 'completed', 'the queued job to complete');
    expect(lifeOf(t, second).find((e) => e.msg === 'export job started')).toMatchObject({ queuedMs: 5000 });
  });

  it('cancelled by its client: the cancel (with the request id), and the runner letting it go', async () => {
    t = await buildLoggedApp({ FILE_MAX_RESOURCES: '1' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token);
    const jobId = jobIdOf(kick.headers['content-location']);
    const cancel = await t.app.inject({
      method: 'DELETE',
      url: pathOf(kick.headers['content-location'] as string),
      headers: { ...bearer(token), 'x-request-id': 'cancel-1' },
    });
    expect(cancel.statusCode).toBe(202);
    await until(() => lifeOf(t!, jobId).length === 4, 'the runner to stop the job');
    const life = lifeOf(t, jobId);
    expect(life.map((e) => e.msg)).toEqual([
      'export job created',
      'export job started',
      'export job cancelled',
      'export job was cancelled while running',
    ]);
    expect(life[2]).toMatchObject({ reqId: 'cancel-1' });
    expect(life[3]).toMatchObject({ outcome: 'cancelled', component: 'jobs' });
  });

  it('failed: the error with its stack in the log, a plain OperationOutcome for the client', async () => {
    t = await buildLoggedApp();
    const token = await getToken(t.app);
    const resources = t.app.store.repos().resources;
    const original = resources.ridsAfter;
    resources.ridsAfter = () => {
      throw new Error('disk I/O error (simulated)');
    };
    try {
      const kick = await kickOff(t.app, token, '?_type=Patient');
      const jobId = jobIdOf(kick.headers['content-location']);
      await until(() => t!.app.store.repos().jobs.get(jobId)!.status === 'failed', 'the job to fail');
      const life = lifeOf(t, jobId);
      expect(life.map((e) => e.msg)).toEqual(['export job created', 'export job started', 'export job failed']);
      expect(life[2]).toMatchObject({ level: 50, outcome: 'failed', err: { type: 'Error', message: 'disk I/O error (simulated)' } });
      expect((life[2]!.err as { stack: string }).stack).toContain('disk I/O error (simulated)');

      const poll = await t.app.inject({ method: 'GET', url: pathOf(kick.headers['content-location'] as string), headers: bearer(token) });
      expect(poll.statusCode).toBe(500);
      expect(poll.body).not.toContain('disk I/O');
      expect(poll.json()).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'The export failed on the server; start a new export.' }],
      });
    } finally {
      resources.ridsAfter = original;
    }
  });
});
