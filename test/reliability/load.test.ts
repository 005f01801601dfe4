// Load: many exports and many downloads at once give exactly what one at a time gives, with at
// most so many compressed at once; a
// bounded number of jobs runs while the rest wait in the queue; past the backlog a kick-off
// is turned away with 429 and an integer Retry-After instead of taking more work on.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CompressionSlots } from '../../src/http/compression.js';
import {
  bearer,
  buildTestApp,
  download,
  getToken,
  kickOff,
  pollUntilDone,
  runExport,
  type Manifest,
  type TestApp,
  expectedFileCount,
} from '../helper.js';
import { listen, send } from './support/http-client.js';
import { until } from './support/until.js';

const TYPE_SETS = ['', '?_type=Patient', '?_type=Observation,Encounter', '?_type=Condition&_type=MedicationRequest', '?_type=Practitioner,Organization'];

interface ExportResult {
  output: { type: string; count: number; body: string }[];
  error: unknown[];
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

async function contents(app: TestApp['app'], manifest: Manifest, token: string): Promise<ExportResult> {
  const bodies = await Promise.all(manifest.output.map((o) => download(app, o.url, token)));
  return {
    output: manifest.output.map((o, i) => {
      expect(bodies[i]!.statusCode).toBe(200);
      return { type: o.type, count: o.count, body: bodies[i]!.body };
    }),
    error: manifest.error,
  };
}

const statusCounts = (app: TestApp['app']) =>
  Object.fromEntries(
    (app.store.repos().db.prepare('SELECT status, COUNT(*) AS n FROM job GROUP BY status').all() as { status: string; n: number }[]).map(
      (r) => [r.status, r.n],
    ),
  );

describe('concurrent exports', () => {
  it('50 exports at once give exactly the files that the same exports give one at a time', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const alone = new Map<string, ExportResult>();
    for (const query of TYPE_SETS) alone.set(query, await contents(t.app, await runExport(t, query, token), token));

    const queries = Array.from({ length: 50 }, (_, i) => TYPE_SETS[i % TYPE_SETS.length]!);
    const kicks = await Promise.all(queries.map((q) => kickOff(t!.app, token, q)));
    expect(kicks.map((k) => k.statusCode)).toEqual(queries.map(() => 202));
    const pollUrls = kicks.map((k) => k.headers['content-location'] as string);
    expect(new Set(pollUrls).size).toBe(50);

    const finals = await Promise.all(pollUrls.map((url) => pollUntilDone(t!, url, token, 2000)));
    const results = await Promise.all(finals.map(({ final }) => contents(t!.app, final.json() as Manifest, token)));
    results.forEach((result, i) => expect(result).toEqual(alone.get(queries[i]!)));
    // Every file id is distinct across all 50 jobs: no job hands out another's file.
    const urls = finals.flatMap(({ final }) => (final.json() as Manifest).output.map((o) => o.url));
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('200 downloads at once over real sockets give the same bytes as one at a time', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const manifest = await runExport(t, '', token);
    const port = await listen(t.app);
    const one: string[] = [];
    for (const o of manifest.output) one.push((await send({ port }, { path: `/api/v1/connect${o.url}`, headers: bearer(token) })).text);

    // 100 of them compressed, through 4 compression slots, all 4 held until every compressed
    // download is waiting for one: then they are served 4 at a time.
    const slots = new CompressionSlots(4, 60_000);
    t.app.compressionSlots = slots;
    const held = await Promise.all(Array.from({ length: 4 }, () => slots.acquire()));
    let mostCompressing = 0;
    const acquire = slots.acquire.bind(slots);
    slots.acquire = async () => {
      const release = await acquire();
      mostCompressing = Math.max(mostCompressing, slots.state.used);
      return release;
    };
    const requests = Array.from({ length: 200 }, (_, i) => ({ file: i % manifest.output.length, gzip: i % 2 === 0 }));
    const sent = Promise.all(
      requests.map(({ file, gzip }) =>
        send({ port }, { path: `/api/v1/connect${manifest.output[file]!.url}`, headers: { ...bearer(token), ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } }),
      ),
    );
    await until(() => slots.state.waiting === 100, 'every compressed download waiting for a slot');
    for (const release of held) release();
    const responses = await sent;
    responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(requests[i]!.gzip ? 'gzip' : undefined);
      expect(res.text).toBe(one[requests[i]!.file]);
    });
    expect(mostCompressing).toBe(4);
    await until(() => t!.app.compressionSlots.state.used === 0, 'every compression slot given back');
    expect(t.app.compressionSlots.state).toEqual({ used: 0, waiting: 0 });
  });

  it('gives a compression slot back when the client leaves while waiting for it', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const manifest = await runExport(t, '?_type=Patient', token);
    const port = await listen(t.app);
    t.app.compressionSlots = new CompressionSlots(1, 60_000);
    const held = await t.app.compressionSlots.acquire();
    const path = `/api/v1/connect${manifest.output[0]!.url}`;
    const leaving = request({ port, path, headers: { ...bearer(token), 'accept-encoding': 'gzip' } });
    leaving.on('error', () => undefined);
    leaving.end();
    await until(() => t!.app.compressionSlots.state.waiting === 1, 'the download waiting for a slot');
    leaving.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    held();
    await until(() => t!.app.compressionSlots.state.used === 0, 'the slot given back');
    const next = await send({ port }, { path, headers: { ...bearer(token), 'accept-encoding': 'gzip' } });
    expect(next.status).toBe(200);
    expect(next.headers['content-encoding']).toBe('gzip');
    await until(() => t!.app.compressionSlots.state.used === 0, 'the slot given back after a download');
  });
});

describe('bounded concurrency and backlog', () => {
  // One file per resource makes each job plan hundreds of files, pausing for the event loop
  // every few dozen reads, so the jobs are still running while the test looks at them.
  const slowJobs = { FILE_MAX_RESOURCES: '1' };

  it('runs JOB_CONCURRENCY jobs at a time and queues the rest, then runs them all', async () => {
    t = await buildTestApp({ ...slowJobs, JOB_CONCURRENCY: '3', JOB_BACKLOG: '20' });
    const token = await getToken(t.app);
    const pollUrls: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await kickOff(t.app, token);
      expect(res.statusCode).toBe(202);
      pollUrls.push(res.headers['content-location'] as string);
    }
    expect(statusCounts(t.app)).toEqual({ 'in-progress': 3, accepted: 9 });
    const queuedPoll = await t.app.inject({ method: 'GET', url: new URL(pollUrls[11]!).pathname + new URL(pollUrls[11]!).search, headers: bearer(token) });
    expect(queuedPoll.statusCode).toBe(202);
    expect(queuedPoll.headers['x-progress']).toBe('queued');

    let most = 0;
    await until(() => {
      const counts = statusCounts(t!.app);
      most = Math.max(most, counts['in-progress'] ?? 0);
      return (counts.completed ?? 0) === 12;
    }, 'all 12 jobs completed');
    expect(most).toBe(3);
    const manifests = await Promise.all(pollUrls.map(async (url) => (await pollUntilDone(t!, url, token)).final.json() as Manifest));
    const shape = (m: Manifest) => m.output.map((o) => [o.type, o.count]);
    for (const m of manifests) expect(shape(m)).toEqual(shape(manifests[0]!));
    expect(manifests[0]!.output).toHaveLength(expectedFileCount(t!.app, 1));
  });

  it('answers 429 with an integer Retry-After beyond the backlog, creating no job, and takes work again once there is room', async () => {
    t = await buildTestApp({ ...slowJobs, JOB_CONCURRENCY: '1', JOB_BACKLOG: '2', JOB_MIN_DURATION_MS: '2500' });
    const token = await getToken(t.app);
    const accepted = [];
    for (let i = 0; i < 3; i++) accepted.push(await kickOff(t.app, token));
    expect(accepted.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    expect(statusCounts(t.app)).toEqual({ 'in-progress': 1, accepted: 2 });

    // A scenario armed for the next kick-off is not used up by one turned away.
    const armed = () => t!.app.scenarioArming.list();
    expect((await t.app.inject({ method: 'POST', url: '/_mock/scenarios', payload: { scenario: 'partial', count: 1 } })).statusCode).toBe(200);
    const refused = await kickOff(t.app, token);
    expect(refused.statusCode).toBe(429);
    expect(armed()).toEqual([{ scenario: 'partial', remaining: 1 }]);
    expect(refused.headers['retry-after']).toBe('3');
    expect(refused.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(refused.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'throttled', diagnostics: 'Too many exports are queued; try again later.' }],
    });
    expect(statusCounts(t.app)).toEqual({ 'in-progress': 1, accepted: 2 });
    const refusedPost = await t.app.inject({
      method: 'POST',
      url: '/api/v1/connect/fhir/$export',
      headers: { ...bearer(token), 'content-type': 'application/fhir+json' },
      payload: { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] },
    });
    expect(refusedPost.statusCode).toBe(429);

    // A queued job that is cancelled gives its place back at once.
    const queued = accepted[2]!.headers['content-location'] as string;
    const cancelled = await t.app.inject({ method: 'DELETE', url: new URL(queued).pathname + new URL(queued).search, headers: bearer(token) });
    expect(cancelled.statusCode).toBe(202);
    const instead = await kickOff(t.app, token);
    expect(instead.statusCode).toBe(202);
    // ... and the scenario armed before the refusal goes to the kick-off that was accepted.
    expect(armed()).toEqual([]);
    const insteadId = new URL(instead.headers['content-location'] as string).searchParams.get('_jobId')!;
    expect(t.app.store.repos().jobs.get(insteadId)!.params.scenarios).toEqual(['partial']);
    expect((await kickOff(t.app, token)).statusCode).toBe(429);

    await until(() => statusCounts(t!.app).completed === 3, 'the three accepted jobs completed');
    const again = await kickOff(t.app, token);
    expect(again.statusCode).toBe(202);
  });
});
