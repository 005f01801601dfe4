// Security properties: tokens are long random values stored only as hashes, never logged, and
// refused once expired; the password never reaches the log; job and file ids are random
// UUIDs; a file is reachable only through its own job, by its owner, while that job is
// ready and alive, and holds exactly that job's data; CORS lets browser clients read the
// polling headers and follows CORS_ORIGINS.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsEqual } from '../../src/auth/token-service.js';
import { loadConfig } from '../../src/config.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import {
  BASE,
  T0,
  bearer,
  buildTestApp,
  download,
  getToken,
  kickOff,
  parseNdjson,
  pathOf,
  pollUntilDone,
  runExport,
  type Manifest,
  type TestApp,
  expectedFileCount,
} from '../helper.js';
import { buildLoggedApp } from './support/logged-app.js';
import { until } from './support/until.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

describe('tokens', () => {
  it('are 256 random bits (43 base64url characters), all different, and stored only as SHA-256 hashes', async () => {
    t = await buildTestApp();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => getToken(t!.app)));
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(200);
    const stored = t.app.store.repos().db.prepare('SELECT hash, subject FROM token').all() as { hash: string; subject: string }[];
    expect(stored.map((r) => r.hash).sort()).toEqual(tokens.map(sha256).sort());
    const dump = JSON.stringify(t.app.store.repos().db.prepare('SELECT * FROM token').all());
    for (const token of tokens) expect(dump).not.toContain(token);
  });

  it('work until their lifetime is up and are refused from that instant, with 401 and WWW-Authenticate', async () => {
    t = await buildTestApp({ TOKEN_TTL_SECONDS: '60' });
    const token = await getToken(t.app);
    t.clock.set(T0 + 59_999);
    expect((await kickOff(t.app, token, '?_type=Patient')).statusCode).toBe(202);
    t.clock.set(T0 + 60_000);
    const refused = await kickOff(t.app, token, '?_type=Patient');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect(refused.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'The access token has expired; get a new one from POST /oauth/token.' }],
    });
  });

  it('compares secrets whatever their lengths', () => {
    expect(secretsEqual('demo', 'demo')).toBe(true);
    expect(secretsEqual('demo', 'dem')).toBe(false);
    expect(secretsEqual('', 'x'.repeat(10_000))).toBe(false);
  });
});

describe('the log', () => {
  it('never holds a token or a password, even at trace level, even when a client puts them in the URL', async () => {
    const password = 'Corr3ct-Horse-Battery';
    const logged = await buildLoggedApp({ LOG_LEVEL: 'trace', AUTH_PASSWORD: password });
    t = logged;
    const form = `grant_type=password&username=demo%40example.com&password=${password}`;
    const viaForm = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    const viaQuery = await t.app.inject({ method: 'POST', url: `/oauth/token?${form}&access_token=abc`, payload: { grant_type: 'password', username: 'demo@example.com', password } });
    const wrong = await t.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', username: 'demo@example.com', password: 'Wr0ng-Guess-42' } });
    expect([viaForm.statusCode, viaQuery.statusCode, wrong.statusCode]).toEqual([200, 200, 400]);
    const tokens = [viaForm, viaQuery].map((r) => (r.json() as { access_token: string }).access_token);

    const manifest = await runExport(t, '?_type=Patient', tokens[0]);
    await download(t.app, manifest.output[0]!.url, tokens[1]!);
    await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?access_token=${tokens[0]}`, headers: bearer('not-a-real-token') });
    await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: `{"password":"${password}",` });

    const text = logged.log.text;
    expect(logged.log.withMessage('request completed')).toHaveLength(8);
    for (const secret of [...tokens, password, 'Wr0ng-Guess-42']) expect(text).not.toContain(secret);
    expect(text).toContain('password=[Redacted]');
    expect(text).toContain('access_token=[Redacted]');
  });
});

describe('ids', () => {
  it('job and file ids are random (version 4) UUIDs, none repeated', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const jobIds: string[] = [];
    const fileIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const kick = await kickOff(t.app, token);
      jobIds.push(new URL(kick.headers['content-location'] as string).searchParams.get('_jobId')!);
      const manifest = (await pollUntilDone(t, kick.headers['content-location'] as string, token)).final.json() as Manifest;
      fileIds.push(...manifest.output.map((o) => /^\/file\/([^/]+)\/download$/.exec(o.url)![1]!));
    }
    for (const id of [...jobIds, ...fileIds]) expect(id).toMatch(UUID_V4);
    expect(new Set([...jobIds, ...fileIds]).size).toBe(10 + 10 * expectedFileCount(t.app, 250));
  });
});

describe('a file is reachable only through its own job', () => {
  it('by its owner only: another user gets the same 404 as for an id that does not exist, and cannot cancel the job', async () => {
    t = await buildTestApp();
    const mine = await getToken(t.app);
    const theirs = t.app.tokenService.issue('someone-else@example.com').access_token;
    const kick = await kickOff(t.app, mine, '?_type=Patient');
    const pollUrl = kick.headers['content-location'] as string;
    const manifest = (await pollUntilDone(t, pollUrl, mine)).final.json() as Manifest;
    const fileId = manifest.output[0]!.url.split('/')[2]!;
    const jobId = new URL(pollUrl).searchParams.get('_jobId')!;

    const file = await download(t.app, manifest.output[0]!.url, theirs);
    expect(file.statusCode).toBe(404);
    expect(file.json()).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: `No file ${fileId}.`, expression: ['fileId'] }] });
    const poll = await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(theirs) });
    expect(poll.statusCode).toBe(404);
    expect(poll.json()).toMatchObject({ issue: [{ diagnostics: `No export job ${jobId}.` }] });
    const cancel = await t.app.inject({ method: 'DELETE', url: pathOf(pollUrl), headers: bearer(theirs) });
    expect(cancel.statusCode).toBe(404);
    expect((await download(t.app, manifest.output[0]!.url, mine)).statusCode).toBe(200);
  });

  it('not before the job is ready, not after it is cancelled', async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '5000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    const jobId = new URL(kick.headers['content-location'] as string).searchParams.get('_jobId')!;
    await until(() => t!.app.store.repos().jobs.get(jobId)!.status === 'completed', 'the job to complete');
    const [file] = t.app.store.repos().jobs.files(jobId);
    // The file exists, but the manifest is not out yet: nobody can have learnt its id legitimately.
    expect((await download(t.app, `/file/${file!.id}/download`, token)).statusCode).toBe(404);
    t.clock.advance(5000);
    expect((await download(t.app, `/file/${file!.id}/download`, token)).statusCode).toBe(200);
    await t.app.inject({ method: 'DELETE', url: pathOf(kick.headers['content-location'] as string), headers: bearer(token) });
    expect((await download(t.app, `/file/${file!.id}/download`, token)).statusCode).toBe(404);
  });

  it('holds exactly its job\'s data: each type\'s files together are that type\'s rows in the snapshot, once each; the URL cannot widen them', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const manifest = await runExport(t, '', token);
    const db = t.app.store.repos().db;
    for (const type of EXPORTABLE_TYPES) {
      const ids: string[] = [];
      for (const entry of manifest.output.filter((o) => o.type === type)) {
        const plain = await download(t.app, entry.url, token);
        const tampered = await t.app.inject({
          method: 'GET',
          url: `${BASE}${entry.url}?ridFrom=0&ridTo=999999999&_type=Patient&count=100000&offset=-1`,
          headers: bearer(token),
        });
        expect(tampered.body).toBe(plain.body);
        const rows = parseNdjson(plain.body);
        expect(rows).toHaveLength(entry.count);
        for (const row of rows) expect(row.resourceType).toBe(type);
        ids.push(...rows.map((r) => r.id as string));
      }
      const expected = db.prepare('SELECT id FROM resource WHERE type = ? ORDER BY rid').pluck().all(type) as string[];
      expect(ids).toEqual(expected);
    }
  });
});

describe('CORS', () => {
  const polling = ['content-location', 'x-progress', 'retry-after', 'expires'];
  const exposed = (header: unknown) => String(header).toLowerCase().split(/\s*,\s*/);

  it('lets any origin in by default and exposes the polling headers to browser clients', async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '5000' });
    const token = await getToken(t.app);
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `${BASE}/fhir/$export`,
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, DELETE');

    const kick = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export`, headers: { ...bearer(token), origin: 'https://app.example' } });
    expect(kick.headers['access-control-allow-origin']).toBe('*');
    expect(exposed(kick.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(polling));
    const poll = await t.app.inject({ method: 'GET', url: pathOf(kick.headers['content-location'] as string), headers: { ...bearer(token), origin: 'https://app.example' } });
    expect(poll.statusCode).toBe(202);
    expect(exposed(poll.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(polling));
  });

  it('follows CORS_ORIGINS: listed origins are let in by name, others get no CORS headers', async () => {
    t = await buildTestApp({ CORS_ORIGINS: 'https://a.example, https://b.example' });
    const allowed = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://b.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://b.example');
    expect(String(allowed.headers.vary)).toContain('Origin');
    const other = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('binding', () => {
  it('is loopback unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});
