// One client-like sequence per simulated fault, asserting exactly what the client sees,
// including the recovery path.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as zlibConstants, gunzipSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import {
  BASE,
  T0,
  bearer,
  buildTestApp,
  download,
  getToken,
  jobPlanned,
  kickOff,
  parseNdjson,
  pathOf,
  pollUntilDone,
  runExport,
  TEST_DATASET,
  type Manifest,
  type TestApp,
} from '../helper.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const scenario = (names: string) => ({ 'x-mock-scenario': names });
const poll = (url: string, token: string) => t.app.inject({ method: 'GET', url: pathOf(url), headers: bearer(token) });
const diagnostics = (body: string) => (JSON.parse(body) as { issue: { code: string; diagnostics: string }[] }).issue[0]!;

async function startJob(names: string, query = '?_type=Patient', env: Record<string, string> = {}) {
  t = await buildTestApp(env);
  const token = await getToken(t.app);
  const kick = await kickOff(t.app, token, query, scenario(names));
  expect(kick.statusCode).toBe(202);
  const location = kick.headers['content-location'] as string;
  await jobPlanned(t, location);
  return { token, location };
}

describe('kick-off scenarios', () => {
  it('kickoff-error: 500 exception OperationOutcome, and no job exists', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const res = await kickOff(t.app, token, '?_type=Patient', scenario('kickoff-error'));
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(diagnostics(res.body)).toMatchObject({ code: 'exception' });
    expect(t.app.store.repos().db.prepare('SELECT COUNT(*) FROM job').pluck().get()).toBe(0);
    // The client retries without the fault and succeeds.
    expect((await kickOff(t.app, token, '?_type=Patient')).statusCode).toBe(202);
  });

  it('kickoff-throttled: 429 with Retry-After: 5; the retry is accepted', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const res = await kickOff(t.app, token, '?_type=Patient', scenario('kickoff-throttled'));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('5');
    expect(diagnostics(res.body).code).toBe('throttled');
    t.clock.advance(5000);
    expect((await kickOff(t.app, token, '?_type=Patient')).statusCode).toBe(202);
  });

  it('an unknown scenario name is a 400 naming it, before any job exists', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const res = await kickOff(t.app, token, '?_type=Patient', scenario('slow,bananas'));
    expect(res.statusCode).toBe(400);
    expect(diagnostics(res.body).diagnostics).toContain('X-Mock-Scenario names "bananas"');
    expect(diagnostics(res.body).diagnostics).toContain(SCENARIO_NAMES.join(', '));
    expect(t.app.store.repos().db.prepare('SELECT COUNT(*) FROM job').pluck().get()).toBe(0);
  });
});

describe('poll scenarios', () => {
  it('slow: ten seconds with X-Progress advancing in steps of two seconds', async () => {
    const { token, location } = await startJob('slow');
    const { final, polls } = await pollUntilDone(t, location, token);
    expect(final.statusCode).toBe(200);
    expect(polls.map((p) => [p.headers['x-progress'], p.headers['retry-after']])).toEqual([
      ['in progress: 0% complete', '2'],
      ['in progress: 20% complete', '2'],
      ['in progress: 40% complete', '2'],
      ['in progress: 60% complete', '2'],
      ['in progress: 80% complete', '2'],
    ]);
    expect(t.clock.now() - T0).toBe(10_000);
  });

  it('slow honours SCENARIO_SLOW_DURATION_MS', async () => {
    const { token, location } = await startJob('slow', '?_type=Patient', { SCENARIO_SLOW_DURATION_MS: '4000' });
    const { polls } = await pollUntilDone(t, location, token);
    expect(polls.map((p) => p.headers['x-progress'])).toEqual([
      'in progress: 0% complete',
      'in progress: 25% complete',
      'in progress: 50% complete',
      'in progress: 75% complete',
    ]);
  });

  it('job-fails: progress first, then 500 with an OperationOutcome; the next export works', async () => {
    const { token, location } = await startJob('job-fails', '?_type=Patient', { JOB_MIN_DURATION_MS: '2000' });
    const { final, polls } = await pollUntilDone(t, location, token);
    expect(polls.map((p) => p.statusCode)).toEqual([202, 202]);
    expect(final.statusCode).toBe(500);
    expect(diagnostics(final.body)).toMatchObject({ code: 'exception' });
    expect(diagnostics(final.body).diagnostics).toContain('"job-fails"');
    const next = await runExport(t, '?_type=Patient', token);
    expect(next.output.reduce((n, e) => n + e.count, 0)).toBe(TEST_DATASET.patients);
  });

  it('poll-transient: one 503 transient with Retry-After, then the job goes on', async () => {
    const { token, location } = await startJob('poll-transient');
    const first = await poll(location, token);
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(diagnostics(first.body).code).toBe('transient');
    t.clock.advance(1000);
    const second = await poll(location, token);
    expect(second.statusCode).toBe(200);
    expect((second.json() as Manifest).output[0]!.count).toBe(TEST_DATASET.patients);
  });

  it('poll-too-fast: a poll before Retry-After has passed gets 429 with the seconds left', async () => {
    const { token, location } = await startJob('poll-too-fast,slow');
    const first = await poll(location, token);
    expect(first.statusCode).toBe(202);
    expect(first.headers['retry-after']).toBe('2');
    t.clock.advance(500);
    const early = await poll(location, token);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('2');
    expect(diagnostics(early.body).code).toBe('throttled');
    t.clock.advance(1500);
    const third = await poll(location, token);
    expect(third.statusCode).toBe(202);
    t.clock.advance(Number(third.headers['retry-after']) * 1000);
    // A client that honours Retry-After never sees a 429.
    const { final, polls } = await pollUntilDone(t, location, token);
    expect(final.statusCode).toBe(200);
    expect(polls.every((p) => p.statusCode === 202)).toBe(true);
  });

  it('POLL_RATE_LIMIT=on enforces Retry-After for every job', async () => {
    const { token, location } = await startJob('', '?_type=Patient', { POLL_RATE_LIMIT: 'on', JOB_MIN_DURATION_MS: '3000' });
    expect((await poll(location, token)).statusCode).toBe(202);
    expect((await poll(location, token)).statusCode).toBe(429);
  });

  it('files-expired: the manifest comes with Expires in the past, its files answer 404', async () => {
    const { token, location } = await startJob('files-expired');
    const res = await poll(location, token);
    expect(res.statusCode).toBe(200);
    expect(Date.parse(res.headers.expires as string)).toBeLessThan(t.clock.now());
    const file = await download(t.app, (res.json() as Manifest).output[0]!.url, token);
    expect(file.statusCode).toBe(404);
    expect(diagnostics(file.body).diagnostics).toContain('has expired');
  });
});

describe('partial', () => {
  it('with several types: the last type is left out and explained in the error file', async () => {
    const { token, location } = await startJob('partial', '?_type=Patient,Condition');
    const m = (await poll(location, token)).json() as Manifest;
    expect([...new Set(m.output.map((e) => e.type))]).toEqual(['Patient']);
    expect(m.error).toHaveLength(1);
    expect(m.error[0]).toMatchObject({ type: 'OperationOutcome', count: 1 });
    const lines = parseNdjson((await download(t.app, m.error[0]!.url, token)).body);
    expect(lines).toHaveLength(1);
    const issue = (lines[0] as { issue: { code: string; diagnostics: string }[] }).issue[0]!;
    expect(issue.code).toBe('incomplete');
    expect(issue.diagnostics).toMatch(/^\d+ Condition resources were not exported\./);
  });

  it('with one type in one file: half of it is exported', async () => {
    const { token, location } = await startJob('partial');
    const m = (await poll(location, token)).json() as Manifest;
    expect(m.output.map((e) => e.count)).toEqual([TEST_DATASET.patients / 2]);
    const body = (await download(t.app, m.output[0]!.url, token)).body;
    expect(parseNdjson(body)).toHaveLength(TEST_DATASET.patients / 2);
    const lines = parseNdjson((await download(t.app, m.error[0]!.url, token)).body);
    expect((lines[0] as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toMatch(/^30 Patient resources/);
  });
});

describe('token-expires', () => {
  it('the next poll answers 401; a new token carries on with the same job', async () => {
    const { token, location } = await startJob('token-expires');
    const res = await poll(location, token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(diagnostics(res.body).diagnostics).toContain('expired');
    const fresh = await getToken(t.app);
    const again = await poll(location, fresh);
    expect(again.statusCode).toBe(200);
    const m = again.json() as Manifest;
    expect((await download(t.app, m.output[0]!.url, fresh)).statusCode).toBe(200);
  });

  it('expires the token for its own job only: a normal job beside it, on the same token, carries on', async () => {
    const { token, location: faulted } = await startJob('token-expires');
    const normal = await kickOff(t.app, token, '?_type=Patient');
    expect(normal.statusCode).toBe(202);
    const normalUrl = normal.headers['content-location'] as string;
    const done = await poll(normalUrl, token);
    expect(done.statusCode).toBe(200);
    const file = (done.json() as Manifest).output[0]!;
    expect((await download(t.app, file.url, token)).statusCode).toBe(200);
    // The faulted job refuses that token for its poll, its cancel and (below) its files.
    expect((await poll(faulted, token)).statusCode).toBe(401);
    const cancel = await t.app.inject({ method: 'DELETE', url: pathOf(faulted), headers: bearer(token) });
    expect(cancel.statusCode).toBe(401);
    const fresh = await getToken(t.app);
    const m = (await poll(faulted, fresh)).json() as Manifest;
    expect((await download(t.app, m.output[0]!.url, token)).statusCode).toBe(401);
    expect((await download(t.app, m.output[0]!.url, fresh)).statusCode).toBe(200);
    // The token still starts exports.
    expect((await kickOff(t.app, token, '?_type=Patient')).statusCode).toBe(202);
  });

  it('is refused with AUTH=off, in the header and when armed', async () => {
    t = await buildTestApp({ AUTH: 'off' });
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export`, headers: scenario('token-expires') });
    expect(res.statusCode).toBe(400);
    expect(diagnostics(res.body).diagnostics).toContain('needs AUTH=on');
    const arm = await t.app.inject({ method: 'POST', url: '/_mock/scenarios', payload: { scenario: 'token-expires' } });
    expect(arm.statusCode).toBe(400);
    expect(diagnostics(arm.body).diagnostics).toContain('needs AUTH=on');
    expect(t.app.scenarioArming.list()).toEqual([]);
  });
});

describe('download-error', () => {
  it('the first download of each file is a 503 with Retry-After; the retry succeeds', async () => {
    const { token, location } = await startJob('download-error', '?_type=Patient,Condition');
    const m = (await poll(location, token)).json() as Manifest;
    for (const entry of m.output) {
      const first = await download(t.app, entry.url, token);
      expect(first.statusCode).toBe(503);
      expect(first.headers['retry-after']).toBe('1');
      expect(diagnostics(first.body).code).toBe('transient');
      t.clock.advance(1000);
      const retry = await download(t.app, entry.url, token);
      expect(retry.statusCode).toBe(200);
      expect(parseNdjson(retry.body)).toHaveLength(entry.count);
    }
  });

  it('a HEAD shows the fault without using it up: the GET after it still fails once', async () => {
    const { token, location } = await startJob('download-error');
    const url = (await poll(location, token)).json() as Manifest;
    const path = `${BASE}${url.output[0]!.url}`;
    const head = await t.app.inject({ method: 'HEAD', url: path, headers: bearer(token) });
    expect(head.statusCode).toBe(503);
    expect((await t.app.inject({ method: 'HEAD', url: path, headers: bearer(token) })).statusCode).toBe(503);
    expect((await download(t.app, url.output[0]!.url, token)).statusCode).toBe(503);
    expect((await t.app.inject({ method: 'HEAD', url: path, headers: bearer(token) })).statusCode).toBe(200);
    expect((await download(t.app, url.output[0]!.url, token)).statusCode).toBe(200);
  });
});

/** A real HTTP download, to see what the socket does. */
interface RawDownload {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes received, as latin1 text (decoded with `decoded`). */
  body: string;
  complete: boolean;
  error?: string;
}

function rawDownload(port: number, path: string, token: string, acceptEncoding?: string) {
  return new Promise<RawDownload>((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, headers: { ...bearer(token), ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) } },
      (res) => {
        let body = '';
        const done = (error?: string) => resolve({ status: res.statusCode!, headers: res.headers, body, complete: res.complete, error });
        res.setEncoding('latin1');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => done());
        res.on('error', (e) => done(e.message));
        res.on('aborted', () => undefined);
      },
    );
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: '', complete: false, error: e.message }));
    req.end();
  });
}

/** The text of a body as received, decompressed as far as it goes when it is cut short. */
function decoded({ headers, body }: RawDownload): string {
  const bytes = Buffer.from(body, 'latin1');
  const partial = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
  if (headers['content-encoding'] === 'gzip') return gunzipSync(bytes, partial).toString();
  if (headers['content-encoding'] === 'deflate') return inflateSync(bytes, partial).toString();
  return bytes.toString();
}

describe('download-truncated', () => {
  it('the first download stops part-way (connection closed before the end); the retry is whole', async () => {
    const { token, location } = await startJob('download-truncated');
    const m = (await poll(location, token)).json() as Manifest;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    const path = `${BASE}${m.output[0]!.url}`;

    // A HEAD neither uses up the cut nor gets one.
    const head = await t.app.inject({ method: 'HEAD', url: path, headers: bearer(token) });
    expect(head.statusCode).toBe(200);
    const cut = await rawDownload(port, path, token);
    expect(cut.status).toBe(200);
    expect(cut.complete).toBe(false);
    expect(cut.body.endsWith('\n')).toBe(false);
    expect(cut.body.split('\n')).toHaveLength(TEST_DATASET.patients / 2 + 1);

    const whole = await rawDownload(port, path, token);
    expect(whole.complete).toBe(true);
    expect(parseNdjson(whole.body)).toHaveLength(TEST_DATASET.patients);
  });

  it.each(['gzip', 'deflate', 'gzip;q=0.5, deflate;q=0.9', '*'])(
    'cuts a compressed download the same way (Accept-Encoding: %s): 200, then a stream without its end',
    async (acceptEncoding) => {
      const { token, location } = await startJob('download-truncated');
      const m = (await poll(location, token)).json() as Manifest;
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (t.app.server.address() as AddressInfo).port;
      const path = `${BASE}${m.output[0]!.url}`;
      const expected = acceptEncoding.includes('deflate;q=0.9') ? 'deflate' : acceptEncoding === 'deflate' ? 'deflate' : 'gzip';

      const cut = await rawDownload(port, path, token, acceptEncoding);
      expect(cut.status).toBe(200);
      expect(cut.headers['content-encoding']).toBe(expected);
      expect(cut.complete).toBe(false);
      const text = decoded(cut);
      expect(text.endsWith('\n')).toBe(false);
      expect(text.split('\n')).toHaveLength(TEST_DATASET.patients / 2 + 1);

      const whole = await rawDownload(port, path, token, acceptEncoding);
      expect(whole.complete).toBe(true);
      expect(whole.headers['content-encoding']).toBe(expected);
      const lines = parseNdjson(decoded(whole));
      expect(lines).toHaveLength(TEST_DATASET.patients);
      // The cut text is the start of the whole file.
      expect(decoded(whole).startsWith(text)).toBe(true);
    },
  );
});

describe('selection through the admin API', () => {
  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers });

  it('lists scenarios with descriptions and what is armed', async () => {
    t = await buildTestApp();
    const res = await admin('GET', '/_mock/scenarios');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { scenarios: { name: string; description: string }[]; armed: unknown[] };
    expect(body.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    for (const s of body.scenarios) expect(s.description.length).toBeGreaterThan(20);
    expect(body.armed).toEqual([]);
  });

  it('arming for N kick-offs affects exactly N', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const arm = await admin('POST', '/_mock/scenarios', { scenario: 'kickoff-throttled', count: 2 });
    expect(arm.statusCode).toBe(200);
    expect(arm.json().armed).toEqual([{ scenario: 'kickoff-throttled', remaining: 2 }]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await kickOff(t.app, token, '?_type=Patient')).statusCode);
    expect(statuses).toEqual([429, 429, 202, 202]);
    expect((await admin('GET', '/_mock/scenarios')).json().armed).toEqual([]);
  });

  it('without count, armed until disarmed; DELETE disarms all; reset forgets jobs', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    await admin('POST', '/_mock/scenarios', { scenario: 'kickoff-error' });
    for (let i = 0; i < 3; i++) expect((await kickOff(t.app, token)).statusCode).toBe(500);
    const del = await admin('DELETE', '/_mock/scenarios');
    expect(del.json().armed).toEqual([]);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    expect(kick.statusCode).toBe(202);
    await admin('POST', '/_mock/scenarios', { scenario: 'slow' });
    const reset = await admin('POST', '/_mock/reset');
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toEqual({ jobsDeleted: 1, resourcesRemoved: 0, armed: [] });
    expect((await poll(kick.headers['content-location'] as string, token)).statusCode).toBe(404);
    expect((await admin('GET', '/_mock/scenarios')).json().armed).toEqual([]);
  });

  it.each([
    [{ scenario: 'nope' }, '"scenario" must be one of'],
    [{ scenario: 'slow', count: 0 }, '"count" must be a whole number'],
    [{ scenario: 'slow', count: 1.5 }, '"count" must be a whole number'],
    [{ scenario: 'slow', extra: true }, 'Unknown field "extra"'],
  ])('rejects %j with a 400 naming the problem', async (payload, message) => {
    t = await buildTestApp();
    const res = await admin('POST', '/_mock/scenarios', payload);
    expect(res.statusCode).toBe(400);
    expect(diagnostics(res.body).diagnostics).toContain(message);
  });

  it('with ADMIN_TOKEN set, requests without the secret are refused', async () => {
    t = await buildTestApp({ ADMIN_TOKEN: 'a-long-enough-admin-secret' });
    expect((await admin('GET', '/_mock/scenarios')).statusCode).toBe(401);
    expect((await admin('POST', '/_mock/reset', undefined, { authorization: 'Bearer wrong-secret-value-here' })).statusCode).toBe(401);
    const ok = await admin('GET', '/_mock/scenarios', undefined, { authorization: 'Bearer a-long-enough-admin-secret' });
    expect(ok.statusCode).toBe(200);
  });

  it('without ADMIN_TOKEN, the admin API is closed when HOST is not loopback', async () => {
    t = await buildTestApp({ HOST: '0.0.0.0' });
    const res = await admin('GET', '/_mock/scenarios');
    expect(res.statusCode).toBe(403);
    expect(diagnostics(res.body).diagnostics).toContain('ADMIN_TOKEN');
  });
});

describe('isolation', () => {
  it('a faulted job beside a normal one does not affect it, and leaves the next export correct', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const faulted = await kickOff(t.app, token, '?_type=Patient', scenario('download-truncated,download-error,partial'));
    const normal = await runExport(t, '?_type=Patient', token);
    const fm = (await pollUntilDone(t, faulted.headers['content-location'] as string, token)).final.json() as Manifest;
    expect(fm.output[0]!.count).toBe(TEST_DATASET.patients / 2);
    expect(normal.output[0]!.count).toBe(TEST_DATASET.patients);
    const body = (await download(t.app, normal.output[0]!.url, token)).body;
    expect(parseNdjson(body)).toHaveLength(TEST_DATASET.patients);
    const after = await runExport(t, '?_type=Patient', token);
    expect((await download(t.app, after.output[0]!.url, token)).body).toBe(body);
  });
});
