// The request journal through the app: a scripted client's requests are recorded exactly, and
// the admin API reads, filters and empties the journal.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/journal/journal-entry.js';
import { BASE, bearer, buildTestApp, getToken, kickOff, pollUntilDone, T0, type Manifest, type TestApp } from '../helper.js';
import { listen } from '../reliability/support/http-client.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const requests = async (query = ''): Promise<JournalEntry[]> => {
  const res = await t.app.inject({ method: 'GET', url: `/_mock/requests${query}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { requests: JournalEntry[] }).requests;
};

/** A download over a real connection, reading the body as far as it comes. */
function rawGet(port: number, path: string, token: string): Promise<{ status: number; bytes: number; complete: boolean }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { ...bearer(token), 'user-agent': 'raw/1' } }, (res) => {
      let bytes = 0;
      const done = () => resolve({ status: res.statusCode!, bytes, complete: res.complete });
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', () => undefined);
    });
    req.on('error', () => resolve({ status: 0, bytes: 0, complete: false }));
    req.end();
  });
}

/** Waits, boundedly, until the journal holds `n` entries (a response is recorded when it closes). */
async function journalHolds(n: number): Promise<void> {
  for (let i = 0; i < 200 && t.app.journal.size < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(t.app.journal.size).toBe(n);
}

describe('request journal', () => {
  it('records exactly the requests a scripted client sends: statuses, bytes, jobs, files, scenarios', async () => {
    t = await buildTestApp();
    const ua = { 'user-agent': 'scripted-client/1.0' };
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient', { 'x-mock-scenario': 'poll-transient,download-error', ...ua });
    expect(kick.statusCode).toBe(202);
    const location = kick.headers['content-location'] as string;
    const jobId = new URL(location).searchParams.get('_jobId')!;
    const pollPath = `${BASE}/fhir/$export-poll-status?_jobId=${jobId}`;
    const first = await t.app.inject({ method: 'GET', url: pollPath, headers: { ...bearer(token), ...ua } });
    expect(first.statusCode).toBe(503);
    t.clock.advance(1000);
    let done = await t.app.inject({ method: 'GET', url: pollPath, headers: { ...bearer(token), ...ua } });
    for (let i = 0; i < 100 && done.statusCode === 202; i++) {
      await new Promise((r) => setTimeout(r, 5));
      done = await t.app.inject({ method: 'GET', url: pollPath, headers: { ...bearer(token), ...ua } });
    }
    expect(done.statusCode).toBe(200);
    const file = (done.json() as Manifest).output[0]!;
    const fileId = file.url.split('/')[2]!;
    const refused = await t.app.inject({ method: 'GET', url: `${BASE}${file.url}`, headers: { ...bearer(token), ...ua } });
    expect(refused.statusCode).toBe(503);
    t.clock.advance(1000);
    const whole = await t.app.inject({ method: 'GET', url: `${BASE}${file.url}`, headers: { ...bearer(token), ...ua } });
    expect(whole.statusCode).toBe(200);
    const missing = await t.app.inject({ method: 'GET', url: '/nowhere?password=hunter2&x=1' });
    expect(missing.statusCode).toBe(404);

    const entries = await requests();
    const polls = entries.filter((e) => e.path.endsWith('$export-poll-status'));
    expect(entries[0]).toMatchObject({ method: 'POST', path: '/oauth/token', status: 200, token: false, jobId: null, scenario: null });
    expect(entries[1]).toEqual({
      at: new Date(T0).toISOString(),
      method: 'GET',
      path: `${BASE}/fhir/$export`,
      query: '_type=Patient',
      status: 202,
      ms: entries[1]!.ms,
      bytes: Buffer.byteLength(kick.body),
      complete: true,
      jobId,
      fileId: null,
      token: true,
      userAgent: 'scripted-client/1.0',
      scenario: null,
      retryAfter: null,
    });
    expect(polls[0]).toMatchObject({ status: 503, jobId, scenario: 'poll-transient', retryAfter: 1, bytes: Buffer.byteLength(first.body) });
    expect(polls.at(-1)).toMatchObject({ status: 200, jobId, scenario: null, bytes: Buffer.byteLength(done.body), complete: true });
    expect(polls.slice(1, -1).every((p) => p.status === 202 && p.bytes === 0 && p.retryAfter !== null)).toBe(true);
    const downloads = entries.filter((e) => e.fileId !== null);
    expect(downloads).toMatchObject([
      { status: 503, jobId, fileId, scenario: 'download-error', retryAfter: 1, at: new Date(T0 + 1000).toISOString() },
      { status: 200, jobId, fileId, scenario: null, bytes: Buffer.byteLength(whole.body), complete: true, at: new Date(T0 + 2000).toISOString() },
    ]);
    expect(entries.at(-1)).toMatchObject({ path: '/nowhere', query: 'password=[Redacted]&x=1', status: 404, token: false, userAgent: 'lightMyRequest' });
    expect(entries).toHaveLength(2 + polls.length + 2 + 1);
    // Not a token anywhere in what the journal keeps.
    expect(JSON.stringify(entries)).not.toContain(token);

    // Filters: by job, by time, by count.
    expect((await requests(`?jobId=${jobId}`)).map((e) => e.status)).toEqual([202, ...polls.map((p) => p.status), 503, 200]);
    // Since the retried download: it, the 404, and the two journal reads above (admin requests are recorded too).
    expect((await requests(`?since=${new Date(T0 + 2000).toISOString()}`)).map((e) => `${e.status} ${e.path}`)).toEqual([
      `200 ${BASE}${file.url}`,
      '404 /nowhere',
      '200 /_mock/requests',
      '200 /_mock/requests',
    ]);
    expect(await requests('?limit=2')).toEqual(entries.slice(0, 2));
  });

  it('records a truncated download as incomplete, with the bytes that went out', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient', { 'x-mock-scenario': 'download-truncated' });
    const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token);
    const file = (final.json() as Manifest).output[0]!;
    const port = await listen(t.app);
    const before = t.app.journal.size;
    const cut = await rawGet(port, `${BASE}${file.url}`, token);
    expect(cut).toMatchObject({ status: 200, complete: false });
    const whole = await rawGet(port, `${BASE}${file.url}`, token);
    expect(whole).toMatchObject({ status: 200, complete: true });
    await journalHolds(before + 2);
    const downloads = (await requests()).filter((e) => e.fileId !== null);
    expect(downloads).toMatchObject([
      { status: 200, complete: false, bytes: cut.bytes, scenario: 'download-truncated', userAgent: 'raw/1' },
      { status: 200, complete: true, bytes: whole.bytes, scenario: null },
    ]);
    expect(cut.bytes).toBeLessThan(whole.bytes);
  });

  it('over a real connection, records the kick-off\'s job and every Retry-After', async () => {
    // Fastify sends its headers with writeHead, which the raw response does not keep: the
    // journal must read them from the reply (inject alone would not show this).
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '5000' });
    const token = await getToken(t.app);
    const origin = `http://127.0.0.1:${await listen(t.app)}`;
    const kick = await fetch(`${origin}${BASE}/fhir/$export?_type=Patient`, { headers: bearer(token) });
    await kick.text();
    expect(kick.status).toBe(202);
    const jobId = new URL(kick.headers.get('content-location')!).searchParams.get('_jobId')!;
    const poll = await fetch(`${origin}${BASE}/fhir/$export-poll-status?_jobId=${jobId}`, { headers: bearer(token) });
    await poll.text();
    expect(poll.status).toBe(202);
    await journalHolds(3);
    const entries = await requests();
    expect(entries.slice(1).map((e) => ({ status: e.status, jobId: e.jobId, retryAfter: e.retryAfter }))).toEqual([
      { status: 202, jobId, retryAfter: null },
      { status: 202, jobId, retryAfter: Number(poll.headers.get('retry-after')) },
    ]);
    expect(Number(poll.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('records a download whose client left part-way as incomplete', async () => {
    // One file of every Observation (megabytes): more than the connection's buffers hold for a reader that stops.
    t = await buildTestApp({ FILE_MAX_RESOURCES: '1000000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Observation');
    const location = kick.headers['content-location'] as string;
    const { final } = await pollUntilDone(t, location, token);
    const file = (final.json() as Manifest).output[0]!;
    const port = await listen(t.app);
    const before = t.app.journal.size;
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `${BASE}${file.url}`, headers: bearer(token), agent: false }, (res) => {
        res.pause();
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50);
      });
      req.on('error', () => undefined);
      req.end();
    });
    await journalHolds(before + 1);
    const whole = await t.app.inject({ method: 'GET', url: `${BASE}${file.url}`, headers: bearer(token) });
    const [left, read] = (await requests()).filter((e) => e.fileId !== null);
    expect(left).toMatchObject({ status: 200, complete: false, jobId: new URL(location).searchParams.get('_jobId') });
    expect(left!.bytes).toBeGreaterThan(0);
    expect(left!.bytes).toBeLessThan(whole.rawPayload.length);
    expect(read).toMatchObject({ status: 200, complete: true, bytes: whole.rawPayload.length });
  });

  it('refusals before any route are recorded, admin requests too', async () => {
    t = await buildTestApp();
    const noToken = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export` });
    expect(noToken.statusCode).toBe(401);
    const badMethod = await t.app.inject({ method: 'PUT', url: '/_mock/requests' });
    expect(badMethod.statusCode).toBe(405);
    const entries = await requests();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', `${BASE}/fhir/$export`, 401],
      ['PUT', '/_mock/requests', 405],
    ]);
  });

  it('keeps the newest JOURNAL_MAX_ENTRIES, dropping the oldest', async () => {
    t = await buildTestApp({ JOURNAL_MAX_ENTRIES: '3' });
    for (let i = 1; i <= 5; i++) {
      await t.app.inject({ method: 'GET', url: `/health?n=${i}` });
      t.clock.advance(1000);
    }
    expect(t.app.journal.list().map((e) => e.query)).toEqual(['n=3', 'n=4', 'n=5']);
  });

  it('JOURNAL_MAX_ENTRIES=0 records nothing', async () => {
    t = await buildTestApp({ JOURNAL_MAX_ENTRIES: '0' });
    await t.app.inject({ method: 'GET', url: '/health' });
    expect(await requests()).toEqual([]);
  });

  it('DELETE /_mock/requests and POST /_mock/reset empty it', async () => {
    t = await buildTestApp();
    await t.app.inject({ method: 'GET', url: '/health' });
    await t.app.inject({ method: 'GET', url: '/health' });
    const del = await t.app.inject({ method: 'DELETE', url: '/_mock/requests' });
    expect(del.json()).toEqual({ deleted: 2 });
    expect((await requests()).map((e) => e.method + ' ' + e.path)).toEqual(['DELETE /_mock/requests']);
    const reset = await t.app.inject({ method: 'POST', url: '/_mock/reset' });
    expect(reset.statusCode).toBe(200);
    expect((await requests()).map((e) => e.method + ' ' + e.path)).toEqual(['POST /_mock/reset']);
  });

  it.each([
    ['?jobId=nope', 'jobId'],
    ['?since=yesterday', 'since'],
    ['?limit=0', 'limit'],
    ['?limit=10001', 'limit'],
    ['?limit=1&limit=2', 'limit'],
    ['?colour=red', 'colour'],
  ])('refuses %s with 400 naming %s', async (query, name) => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: `/_mock/requests${query}` });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { issue: { expression?: string[] }[] }).issue[0]!.expression).toEqual([name]);
  });

  it('is guarded like the rest of /_mock/', async () => {
    t = await buildTestApp({ ADMIN_TOKEN: 'a-secret-of-16-chars' });
    expect((await t.app.inject({ method: 'GET', url: '/_mock/requests' })).statusCode).toBe(401);
    const ok = await t.app.inject({ method: 'GET', url: '/_mock/requests', headers: bearer('a-secret-of-16-chars') });
    expect(ok.statusCode).toBe(200);
  });
});
