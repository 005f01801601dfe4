// A job belongs to whoever started it; cancel ends it for good (docs/behaviour.md, "Errors" and "Endpoints", cancel).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, bearer, buildTestApp, download, getToken, kickOff, pathOf, pollUntilDone, runExport, type TestApp } from '../helper.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.app.close();
});

describe('ownership', () => {
  it("another user's token sees neither the job nor its files; a new token of the same user does", async () => {
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    const pollUrl = kick.headers['content-location'] as string;
    const { final } = await pollUntilDone(t, pollUrl, token);
    const fileUrl = (final.json() as { output: { url: string }[] }).output[0]!.url;

    const stranger = t.app.tokenService.issue('someone-else@example.com').access_token;
    const poll = await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(stranger) });
    expect(poll.statusCode).toBe(404);
    expect((await download(t.app, fileUrl, stranger)).statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: pathOf(pollUrl), headers: bearer(stranger) });
    expect(del.statusCode).toBe(404);

    const sameUser = await getToken(t.app);
    expect(sameUser).not.toBe(token);
    expect((await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(sameUser) })).statusCode).toBe(200);
    expect((await download(t.app, fileUrl, sameUser)).statusCode).toBe(200);
  });
});

describe('cancel', () => {
  it('DELETE → 202; then the poll URL and the files answer 404', async () => {
    const token = await getToken(t.app);
    const manifest = await runExport(t, '?_type=Patient', token);
    const job = t.app.store.repos().db.prepare('SELECT id FROM job').pluck().get() as string;
    const pollPath = `${BASE}/fhir/$export-poll-status?_jobId=${job}`;

    const del = await t.app.inject({ method: 'DELETE', url: pollPath, headers: bearer(token) });
    expect(del.statusCode).toBe(202);
    expect(del.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });

    const poll = await t.app.inject({ method: 'GET', url: pollPath, headers: bearer(token) });
    expect(poll.statusCode).toBe(404);
    expect(poll.json().issue[0].diagnostics).toBe(`Export job ${job} was cancelled.`);
    expect((await download(t.app, manifest.output[0]!.url, token)).statusCode).toBe(404);
    const again = await t.app.inject({ method: 'DELETE', url: pollPath, headers: bearer(token) });
    expect(again.statusCode).toBe(404);
  });

  it('cancelling a job in progress stops it; it never turns up completed', async () => {
    await t.app.close();
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '5000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token);
    const pollUrl = kick.headers['content-location'] as string;
    const del = await t.app.inject({ method: 'DELETE', url: pathOf(pollUrl), headers: bearer(token) });
    expect(del.statusCode).toBe(202);
    t.clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 20));
    const poll = await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(token) });
    expect(poll.statusCode).toBe(404);
    const id = new URL(pollUrl).searchParams.get('_jobId')!;
    expect(t.app.store.repos().jobs.get(id)!.status).toBe('cancelled');
    expect(t.app.store.repos().jobs.files(id)).toEqual([]);
  });
});
