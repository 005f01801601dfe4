// The transport and download faults, each observed as a client sees it: over a real socket for
// what only a socket shows (a rate, a stall, a reset), through inject for the rest, with the
// injected clock for every expiry and Retry-After. No assertion is about how long anything took.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { STUCK_PROGRESS } from '../../src/scenarios/job-stuck.js';
import { SIGNED_URL_LIFETIME_SECONDS } from '../../src/scenarios/signed-url.js';
import { TINY_FILE_RESOURCES } from '../../src/scenarios/tiny-files.js';
import { PACE_WINDOW_MS } from '../../src/scenarios/transport.js';
import { BASE, T0, bearer, buildTestApp, getToken, kickOff, parseNdjson, pathOf, TEST_DATASET, type Manifest, type TestApp } from '../helper.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

/** Polls with inject until the job answers something other than 202, advancing the clock by a second a poll. */
async function pollDone(location: string, token: string) {
  for (let i = 0; i < 100; i++) {
    const res = await t.app.inject({ method: 'GET', url: pathOf(location), headers: bearer(token) });
    if (res.statusCode !== 202) return res;
    t.clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the job never finished');
}

/** An app, a token, and the manifest of a Patient export under `scenario`. */
async function exportUnder(scenario: string, env: Record<string, string> = {}, query = '?_type=Patient') {
  t = await buildTestApp(env);
  const token = await getToken(t.app);
  // The standard profile asks for the Bulk Data headers; the Verto profile takes them too.
  const kick = await kickOff(t.app, token, query, { 'x-mock-scenario': scenario, accept: 'application/fhir+json', prefer: 'respond-async' });
  expect(kick.statusCode).toBe(202);
  const done = await pollDone(kick.headers['content-location'] as string, token);
  expect(done.statusCode).toBe(200);
  return { token, manifest: done.json() as Manifest };
}

async function listen(): Promise<number> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as AddressInfo).port;
}

interface Received {
  status: number;
  headers: IncomingMessage['headers'];
  chunks: Buffer[];
  text: () => string;
  /** Resolves when the connection ends: how it ended. */
  ended: Promise<{ complete: boolean; error?: string }>;
  res: IncomingMessage;
}

/** A download over a socket, as a client sees it, chunk by chunk. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      let reqError: string | undefined;
      req.on('error', (e: NodeJS.ErrnoException) => (reqError = e.code ?? e.message));
      const ended = new Promise<{ complete: boolean; error?: string }>((done) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => (reqError ??= e.code ?? e.message));
        res.on('close', () => setImmediate(() => done({ complete: res.complete, error: reqError })));
      });
      resolve({ status: res.statusCode!, headers: res.headers, chunks, text: () => Buffer.concat(chunks).toString('utf8'), ended, res });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits (boundedly) until `received` holds `bytes` bytes. */
async function untilBytes(received: Received, bytes: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (Buffer.concat(received.chunks).length >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`only ${Buffer.concat(received.chunks).length} of ${bytes} bytes came`);
}

/** Where the cut falls: half the file's lines, then half of the next line. */
function cutOf(whole: string): string {
  const lines = whole.split('\n');
  const keep = Math.floor((lines.length - 1) / 2);
  const next = lines[keep]!;
  return lines.slice(0, keep).map((l) => `${l}\n`).join('') + next.slice(0, Math.max(Math.floor(next.length / 2), 1));
}

const journal = async () =>
  ((await t.app.inject({ method: 'GET', url: '/_mock/requests' })).json() as { requests: { path: string; query: string; status: number; complete: boolean; bytes: number; token: boolean; scenario: string | null }[] })
    .requests;

describe('download-slow', () => {
  it('sends the whole file, uncompressed, in pieces no bigger than a window of the rate', async () => {
    const rate = 200_000;
    const { token, manifest } = await exportUnder('download-slow', { SCENARIO_DOWNLOAD_BYTES_PER_SECOND: String(rate) });
    const port = await listen();
    const got = await rawGet(port, `${BASE}${manifest.output[0]!.url}`, { ...bearer(token), 'accept-encoding': 'gzip' });
    expect(await got.ended).toEqual({ complete: true, error: undefined });
    expect(got.status).toBe(200);
    expect(got.headers['content-encoding']).toBeUndefined();
    expect(parseNdjson(got.text())).toHaveLength(TEST_DATASET.patients);
    // Each window carries at most its share: the file came in many pieces, none over a window's share.
    const window = (rate * PACE_WINDOW_MS) / 1000;
    const total = Buffer.concat(got.chunks).length;
    expect(got.chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / window / 2));
    expect((await journal()).filter((e) => e.path.endsWith('/download')).map((e) => [e.status, e.complete, e.scenario])).toEqual([
      [200, true, 'download-slow'],
    ]);
  });
});

describe('download-stall', () => {
  it('over a socket: the cut bytes, then silence with the connection open until the client leaves', async () => {
    const { token, manifest } = await exportUnder('download-stall', { SCENARIO_STALL_MS: '600000' });
    const port = await listen();
    const path = `${BASE}${manifest.output[0]!.url}`;
    const stalled = await rawGet(port, path, { ...bearer(token), 'accept-encoding': 'gzip' });
    expect(stalled.status).toBe(200);
    expect(stalled.headers['content-encoding']).toBeUndefined();
    const full = (await t.app.inject({ method: 'GET', url: path, headers: bearer(token) })).body;
    const cut = Buffer.byteLength(cutOf(full));
    await untilBytes(stalled, cut);
    // The whole file was downloaded beside it meanwhile; the stalled one is still open, at the cut.
    expect(stalled.res.complete).toBe(false);
    expect(stalled.res.destroyed).toBe(false);
    expect(stalled.text()).toBe(cutOf(full));
    stalled.res.destroy();
    expect((await stalled.ended).complete).toBe(false);
    // The server records the stalled download once it sees the connection end.
    let entries = (await journal()).filter((e) => e.path.endsWith('/download'));
    for (let i = 0; i < 400 && entries.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      entries = (await journal()).filter((e) => e.path.endsWith('/download'));
    }
    expect(entries.map((e) => [e.status, e.complete, e.bytes, e.scenario])).toEqual([
      [200, true, Buffer.byteLength(full), null],
      [200, false, cut, 'download-stall'],
    ]);
  });

  it('closes the connection when the stall runs out; the next download of the file is then marked as after a stall waited out', async () => {
    const { token, manifest } = await exportUnder('download-stall', { SCENARIO_STALL_MS: '50' });
    const port = await listen();
    const path = `${BASE}${manifest.output[0]!.url}`;
    const stalled = await rawGet(port, path, bearer(token));
    expect(await stalled.ended).toMatchObject({ complete: false });
    const again = await rawGet(port, path, bearer(token));
    expect(await again.ended).toEqual({ complete: true, error: undefined });
    expect(stalled.text()).toBe(cutOf(again.text()));
    const entries = (await journal()).filter((e) => e.path.endsWith('/download'));
    expect(entries.map((e) => [e.status, e.complete, e.scenario])).toEqual([
      [200, false, 'download-stall'],
      [200, true, 'download-stall'],
    ]);
  });
});

describe('download-reset', () => {
  it('ends the first download with ECONNRESET at the same byte; the retry is whole', async () => {
    const { token, manifest } = await exportUnder('download-reset');
    const port = await listen();
    const path = `${BASE}${manifest.output[0]!.url}`;
    const reset = await rawGet(port, path, { ...bearer(token), 'accept-encoding': 'gzip' });
    expect(reset.status).toBe(200);
    expect(reset.headers['content-encoding']).toBeUndefined();
    const how = await reset.ended;
    expect(how.complete).toBe(false);
    expect(how.error).toBe('ECONNRESET');
    const whole = await rawGet(port, path, bearer(token));
    expect(await whole.ended).toEqual({ complete: true, error: undefined });
    expect(parseNdjson(whole.text())).toHaveLength(TEST_DATASET.patients);
    expect(reset.text()).toBe(cutOf(whole.text()));
  });
});

describe('download-throttled', () => {
  it('answers the first download of each file 429 throttled with Retry-After: 1; after it, 200 whole', async () => {
    const { token, manifest } = await exportUnder('download-throttled');
    const url = `${BASE}${manifest.output[0]!.url}`;
    const first = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.json()).toMatchObject({ issue: [{ code: 'throttled' }] });
    t.clock.advance(1000);
    const second = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(second.statusCode).toBe(200);
    expect(parseNdjson(second.body)).toHaveLength(TEST_DATASET.patients);
  });
});

describe('retry-after-date', () => {
  it("gives every Retry-After of the job as an HTTP-date: the polls' and a throttled download's", async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '3000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient', { 'x-mock-scenario': 'retry-after-date,download-throttled' });
    const location = pathOf(kick.headers['content-location'] as string);
    const poll = await t.app.inject({ method: 'GET', url: location, headers: bearer(token) });
    expect(poll.statusCode).toBe(202);
    const seconds = Number.parseInt(String(poll.headers['retry-after']), 10);
    expect(Number.isNaN(seconds)).toBe(true);
    expect(poll.headers['retry-after']).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(String(poll.headers['retry-after']))).toBeGreaterThan(T0);
    const done = await pollDone(kick.headers['content-location'] as string, token);
    const file = `${BASE}${(done.json() as Manifest).output[0]!.url}`;
    const throttled = await t.app.inject({ method: 'GET', url: file, headers: bearer(token) });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe(new Date(t.clock.now() + 1000).toUTCString());
  });
});

describe('job-stuck', () => {
  it('answers 202 with the same X-Progress for ever, until cancelled', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient', { 'x-mock-scenario': 'job-stuck' });
    const location = pathOf(kick.headers['content-location'] as string);
    const answers = new Set<string>();
    for (const days of [0, 1, 30, 365]) {
      t.clock.set(T0 + days * 86_400_000);
      // A token lives half an hour: the client gets a new one as time goes by.
      const res = await t.app.inject({ method: 'GET', url: location, headers: bearer(await getToken(t.app)) });
      answers.add(`${res.statusCode} ${res.headers['x-progress']} ${res.headers['retry-after']}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...answers]).toEqual([`202 ${STUCK_PROGRESS} 1`]);
    expect(t.app.store.repos().jobs.get(new URL(kick.headers['content-location'] as string).searchParams.get('_jobId')!)?.status).toBe('completed');
    const fresh = await getToken(t.app);
    expect((await t.app.inject({ method: 'DELETE', url: location, headers: bearer(fresh) })).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'GET', url: location, headers: bearer(fresh) })).statusCode).toBe(404);
  });
});

describe('count-mismatch', () => {
  it('the first output file holds one line fewer than its count, on every download; the others are whole', async () => {
    const { token, manifest } = await exportUnder('count-mismatch', { FILE_MAX_RESOURCES: '25' });
    expect(manifest.output.map((f) => f.count)).toEqual([25, 25, 10]);
    for (let i = 0; i < 2; i++) {
      const short = await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[0]!.url}`, headers: bearer(token) });
      expect(parseNdjson(short.body)).toHaveLength(24);
    }
    const other = await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[1]!.url}`, headers: bearer(token) });
    expect(parseNdjson(other.body)).toHaveLength(25);
  });
});

describe('tiny-files', () => {
  it(`splits the export into files of at most ${TINY_FILE_RESOURCES} resources, every resource once`, async () => {
    const { token, manifest } = await exportUnder('tiny-files');
    expect(manifest.output).toHaveLength(TEST_DATASET.patients / TINY_FILE_RESOURCES);
    const ids: unknown[] = [];
    for (const f of manifest.output) {
      expect(f.count).toBe(TINY_FILE_RESOURCES);
      const lines = parseNdjson((await t.app.inject({ method: 'GET', url: `${BASE}${f.url}`, headers: bearer(token) })).body);
      expect(lines).toHaveLength(f.count);
      ids.push(...lines.map((l) => l.id));
    }
    expect(new Set(ids).size).toBe(TEST_DATASET.patients);
  });
});

describe('signed-urls', () => {
  it('gives signed urls relative to the base with requiresAccessToken: false; they need no token, and are refused altered or expired', async () => {
    const { manifest } = await exportUnder('signed-urls');
    expect(manifest.requiresAccessToken).toBe(false);
    const url = manifest.output[0]!.url;
    expect(url).toMatch(/^\/file\/[0-9a-f-]{36}\/signed\?expires=\d+&signature=[A-Za-z0-9_-]+$/);
    const get = (u: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `${BASE}${u}`, headers });
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(parseNdjson(res.body)).toHaveLength(TEST_DATASET.patients);
    const altered = url.replace(/expires=(\d+)/, (_m, s: string) => `expires=${Number(s) + 1}`);
    expect((await get(altered)).statusCode).toBe(403);
    expect((await get(altered)).json()).toMatchObject({ issue: [{ code: 'forbidden', diagnostics: expect.stringContaining('altered') }] });
    // The same signature on another file's path.
    expect((await get(url.replace(/file\/[0-9a-f-]{36}/, 'file/00000000-0000-4000-8000-000000000000'))).statusCode).toBe(403);
    t.clock.advance(SIGNED_URL_LIFETIME_SECONDS * 1000);
    const expired = await get(url);
    expect(expired.statusCode).toBe(403);
    expect(expired.json()).toMatchObject({ issue: [{ diagnostics: expect.stringContaining('expired') }] });
  });

  it('records a token sent to a signed url in the journal (and serves the file all the same)', async () => {
    const { token, manifest } = await exportUnder('signed-urls');
    expect((await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[0]!.url}`, headers: bearer(token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[0]!.url}` })).statusCode).toBe(200);
    // The manifest that handed out the signed urls is marked as the fault's.
    expect((await journal()).filter((e) => e.path.endsWith('/$export-poll-status')).map((e) => [e.status, e.scenario])).toEqual([[200, 'signed-urls']]);
    const signed = (await journal()).filter((e) => e.path.endsWith('/signed'));
    // The signature is a capability: the journal keeps the expiry, not the signature.
    for (const e of signed) expect(e.query).toMatch(/^expires=\d+&signature=\[Redacted\]$/);
    expect(signed.map((e) => [e.status, e.token])).toEqual([
      [200, true],
      [200, false],
    ]);
  });

  it('in the standard profile, the signed urls are absolute', async () => {
    const { manifest } = await exportUnder('signed-urls', { PROFILE: 'standard' });
    expect(manifest.output[0]!.url).toMatch(/^http:\/\/localhost:80\/api\/v1\/connect\/file\/[0-9a-f-]{36}\/signed\?expires=\d+&signature=/);
  });
});

describe('download-redirect', () => {
  it('answers 307 with an absolute signed Location, which gives the file without a token', async () => {
    const { token, manifest } = await exportUnder('download-redirect');
    expect(manifest.requiresAccessToken).toBe(true);
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'GET', url: `${BASE}${manifest.output[0]!.url}`, headers: bearer(token) });
      expect(res.statusCode).toBe(307);
      const location = String(res.headers.location);
      expect(location).toMatch(/^http:\/\/localhost:80\/api\/v1\/connect\/file\/[0-9a-f-]{36}\/signed\?expires=\d+&signature=/);
      const followed = await t.app.inject({ method: 'GET', url: pathOf(location) });
      expect(followed.statusCode).toBe(200);
      expect(parseNdjson(followed.body)).toHaveLength(TEST_DATASET.patients);
    }
    const entries = (await journal()).filter((e) => e.path.includes('/file/'));
    expect(entries.map((e) => [e.status, e.token, e.scenario])).toEqual([
      [307, true, 'download-redirect'],
      [200, false, null],
      [307, true, 'download-redirect'],
      [200, false, null],
    ]);
  });
});

describe('beside the transport faults', () => {
  it('a normal export is served whole while a download stalls and another crawls', async () => {
    t = await buildTestApp({ SCENARIO_STALL_MS: '600000', SCENARIO_DOWNLOAD_BYTES_PER_SECOND: '1000' });
    const token = await getToken(t.app);
    const manifestOf = async (scenario?: string) => {
      const kick = await kickOff(t.app, token, '?_type=Patient', scenario ? { 'x-mock-scenario': scenario } : {});
      return (await pollDone(kick.headers['content-location'] as string, token)).json() as Manifest;
    };
    const [stallM, slowM, normalM] = [await manifestOf('download-stall'), await manifestOf('download-slow'), await manifestOf()];
    const port = await listen();
    const stalled = await rawGet(port, `${BASE}${stallM.output[0]!.url}`, bearer(token));
    const slow = await rawGet(port, `${BASE}${slowM.output[0]!.url}`, bearer(token));
    const normal = await rawGet(port, `${BASE}${normalM.output[0]!.url}`, bearer(token));
    expect(await normal.ended).toEqual({ complete: true, error: undefined });
    expect(parseNdjson(normal.text())).toHaveLength(TEST_DATASET.patients);
    // When the normal download is whole, the other two are still under way.
    expect(stalled.res.complete || slow.res.complete).toBe(false);
    expect(stalled.res.destroyed || slow.res.destroyed).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    stalled.res.destroy();
    slow.res.destroy();
    await Promise.all([stalled.ended, slow.ended]);
  });
});
