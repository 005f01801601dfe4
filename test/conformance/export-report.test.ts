// The per-export report through the app: scripted clients, one that behaves and one that does
// not, and the outcomes the report gives each, requirement by requirement.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportReport } from '../../src/conformance/export-report.js';
import { BASE, bearer, buildTestApp, getToken, kickOff, pathOf, type Manifest, type TestApp } from '../helper.js';

let t: TestApp;
afterEach(async () => {
  await t?.app.close();
});

const report = async (jobId: string): Promise<ExportReport> => {
  const res = await t.app.inject({ method: 'GET', url: `/_mock/exports/${jobId}/report` });
  expect(res.statusCode).toBe(200);
  return res.json() as ExportReport;
};
const outcomes = (r: ExportReport) => Object.fromEntries(r.results.map((x) => [x.requirement, x.outcome]));
const jobIdOf = (location: string) => new URL(location).searchParams.get('_jobId')!;

/**
 * A scripted client: polls until done; `polite` waits each Retry-After on the injected clock
 * (else it polls again at once); on 401 it gets a new token and goes on.
 */
async function pollToManifest(location: string, token: { value: string }, polite: boolean): Promise<Manifest | null> {
  for (let i = 0; i < 200; i++) {
    const res = await t.app.inject({ method: 'GET', url: pathOf(location), headers: bearer(token.value) });
    if (res.statusCode === 200) return res.json() as Manifest;
    if (res.statusCode === 401) token.value = await getToken(t.app);
    else if (res.statusCode === 500) return null;
    else if (polite) t.clock.advance(Number(res.headers['retry-after'] ?? 1) * 1000);
    await sleep(2);
  }
  throw new Error('the export did not finish');
}

/** Downloads every file of the manifest, retrying 503s (after Retry-After when `polite`). */
async function downloadAll(m: Manifest, token: { value: string }, polite: boolean): Promise<void> {
  for (const f of [...m.output, ...m.error]) {
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: `${BASE}${f.url}`, headers: bearer(token.value) });
      if (res.statusCode === 200) break;
      if (res.statusCode === 401) token.value = await getToken(t.app);
      else if (polite) t.clock.advance(Number(res.headers['retry-after'] ?? 1) * 1000);
    }
  }
}

describe('GET /_mock/exports/<jobId>/report', () => {
  it('a well-behaved client of a poll-transient, download-error export passes what it exercised', async () => {
    t = await buildTestApp();
    const token = { value: await getToken(t.app) };
    const kick = await kickOff(t.app, token.value, '?_type=Patient', { 'x-mock-scenario': 'poll-transient,download-error' });
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    const m = (await pollToManifest(kick.headers['content-location'] as string, token, true))!;
    await downloadAll(m, token, true);

    const r = await report(jobId);
    expect(r).toMatchObject({ jobId, profile: 'verto', scenarios: ['poll-transient', 'download-error'] });
    expect(r.export).toEqual({
      jobId,
      scenarios: ['poll-transient', 'download-error'],
      files: m.output.map((f) => ({ id: f.url.split('/')[2], type: f.type, count: f.count, kind: 'output', url: f.url })),
      requiresAccessToken: true,
    });
    expect(outcomes(r)).toEqual({
      'poll.honours-retry-after': 'pass',
      'poll.retries-transient': 'pass',
      'auth.no-token-in-url': 'pass',
      'download.joins-base': 'pass',
      'download.sends-token': 'pass',
      'download.every-file': 'pass',
      'download.retries-transient': 'pass',
      'data.complete': 'not-exercised',
      'exit.honest': 'not-exercised',
    });
    expect(r.summary).toEqual({ pass: 7, fail: 0, notExercised: 2 });
    const transient = r.results.find((x) => x.requirement === 'poll.retries-transient')!;
    expect(transient.sentence).toMatch(/503/);
    expect(transient.source).toMatch(/Bulk Data IG/);
  });

  it('a client that ignores Retry-After and joins urls to the origin fails exactly those requirements', async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '2000' });
    const token = { value: await getToken(t.app) };
    const throttled = await kickOff(t.app, token.value, '?_type=Patient', { 'x-mock-scenario': 'kickoff-throttled' });
    expect(throttled.statusCode).toBe(429);
    // At once, and with the fault armed for one kick-off only, the next one is accepted.
    await t.app.inject({ method: 'POST', url: '/_mock/scenarios', payload: { scenario: 'poll-too-fast', count: 1 } });
    const kick = await kickOff(t.app, token.value, '?_type=Patient');
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    const location = kick.headers['content-location'] as string;
    // Polls twice at once (the second is refused 429), then, later, gets the manifest.
    const first = await t.app.inject({ method: 'GET', url: pathOf(location), headers: bearer(token.value) });
    expect(first.statusCode).toBe(202);
    const hasty = await t.app.inject({ method: 'GET', url: pathOf(location), headers: bearer(token.value) });
    expect(hasty.statusCode).toBe(429);
    t.clock.advance(5000);
    const m = (await pollToManifest(location, token, true))!;
    for (const f of m.output) await t.app.inject({ method: 'GET', url: f.url, headers: bearer(token.value) });

    const r = await report(jobId);
    expect(r.scenarios).toEqual(['kickoff-throttled', 'poll-too-fast']);
    expect(outcomes(r)).toEqual({
      'kickoff.waits-after-429': 'fail',
      'poll.honours-retry-after': 'fail',
      'auth.no-token-in-url': 'pass',
      'download.joins-base': 'fail',
      'download.sends-token': 'pass',
      'download.every-file': 'fail',
      'data.complete': 'not-exercised',
      'exit.honest': 'not-exercised',
    });
    const waits = r.results.find((x) => x.requirement === 'kickoff.waits-after-429')!;
    expect(waits.evidence.entries.map((e) => [e.status, e.scenario, e.retryAfter, e.jobId])).toEqual([
      [429, 'kickoff-throttled', 5, null],
      [202, null, null, jobId],
    ]);
    const polls = r.results.find((x) => x.requirement === 'poll.honours-retry-after')!;
    expect(polls.evidence.entries.map((e) => [e.status, e.retryAfter, e.scenario])).toEqual([
      [202, Number(first.headers['retry-after']), null],
      [429, Number(hasty.headers['retry-after']), 'poll-too-fast'],
    ]);
    const joins = r.results.find((x) => x.requirement === 'download.joins-base')!;
    expect(joins.evidence.entries.map((e) => [e.path, e.status])).toEqual(m.output.map((f) => [f.url, 404]));
  });

  it('token-expires: a client that renews its token and goes on passes auth.renews-token', async () => {
    t = await buildTestApp();
    const token = { value: await getToken(t.app) };
    const kick = await kickOff(t.app, token.value, '?_type=Patient', { 'x-mock-scenario': 'token-expires' });
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    const m = (await pollToManifest(kick.headers['content-location'] as string, token, true))!;
    await downloadAll(m, token, true);
    const r = await report(jobId);
    expect(outcomes(r)['auth.renews-token']).toBe('pass');
    expect(r.results.find((x) => x.requirement === 'auth.renews-token')!.evidence.entries.map((e) => [e.path, e.status])).toEqual([
      [`${BASE}/fhir/$export-poll-status`, 401],
      ['/oauth/token', 200],
      [`${BASE}/fhir/$export-poll-status`, 200],
    ]);
    expect(outcomes(r)['download.every-file']).toBe('pass');
  });

  it('job-fails: the job has no files, and a client that stops polling passes', async () => {
    t = await buildTestApp();
    const token = { value: await getToken(t.app) };
    const kick = await kickOff(t.app, token.value, '?_type=Patient', { 'x-mock-scenario': 'job-fails' });
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    expect(await pollToManifest(kick.headers['content-location'] as string, token, true)).toBeNull();
    const r = await report(jobId);
    expect(r.export.files).toEqual([]);
    expect(outcomes(r)).toMatchObject({ 'poll.stops-on-failure': 'pass', 'download.every-file': 'not-exercised' });
    const polls = (await t.app.inject({ method: 'GET', url: `/_mock/requests?jobId=${jobId}` })).json() as { requests: { status: number; scenario: string | null }[] };
    expect(polls.requests.at(-1)).toMatchObject({ status: 500, scenario: 'job-fails' });
  });

  it('files-expired: the manifest and the 404 downloads are marked; a client that starts over passes', async () => {
    t = await buildTestApp();
    const token = { value: await getToken(t.app) };
    const kick = await kickOff(t.app, token.value, '?_type=Patient', { 'x-mock-scenario': 'files-expired' });
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    const m = (await pollToManifest(kick.headers['content-location'] as string, token, true))!;
    const gone = await t.app.inject({ method: 'GET', url: `${BASE}${m.output[0]!.url}`, headers: bearer(token.value) });
    expect(gone.statusCode).toBe(404);
    const again = await kickOff(t.app, token.value, '?_type=Patient');
    expect(again.statusCode).toBe(202);

    const r = await report(jobId);
    expect(r.export.files).toEqual([]);
    expect(outcomes(r)).toMatchObject({ 'expired.does-not-pass': 'pass', 'download.every-file': 'not-exercised' });
    const marked = r.results.find((x) => x.requirement === 'expired.does-not-pass')!.evidence.entries;
    expect(marked.map((e) => [e.path, e.status, e.scenario])).toEqual([
      [`${BASE}/fhir/$export-poll-status`, 200, 'files-expired'],
      [`${BASE}/fhir/$export`, 202, null],
    ]);
    const journal = (await t.app.inject({ method: 'GET', url: `/_mock/requests?jobId=${jobId}` })).json() as { requests: { status: number; scenario: string | null; fileId: string | null }[] };
    expect(journal.requests.filter((e) => e.fileId !== null)).toMatchObject([{ status: 404, scenario: 'files-expired' }]);
  });

  it('partial: the manifest is marked, and a client that reads the error file passes partial.reads-errors', async () => {
    t = await buildTestApp();
    const token = { value: await getToken(t.app) };
    const kick = await kickOff(t.app, token.value, '?_type=Patient,Observation', { 'x-mock-scenario': 'partial' });
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    const m = (await pollToManifest(kick.headers['content-location'] as string, token, true))!;
    expect(m.error).toHaveLength(1);
    await downloadAll(m, token, true);
    const r = await report(jobId);
    expect(r.export.files.map((f) => f.kind)).toEqual([...m.output.map(() => 'output'), 'error']);
    expect(outcomes(r)).toMatchObject({ 'partial.reads-errors': 'pass', 'download.every-file': 'pass' });
    const polls = (await t.app.inject({ method: 'GET', url: `/_mock/requests?jobId=${jobId}` })).json() as { requests: { status: number; scenario: string | null }[] };
    expect(polls.requests.filter((e) => e.status === 200).map((e) => e.scenario)).toEqual(['partial', ...m.output.map(() => null), null]);
  });

  it('404 for a job the server does not know, and after a reset', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    const jobId = jobIdOf(kick.headers['content-location'] as string);
    expect((await t.app.inject({ method: 'GET', url: `/_mock/exports/${jobId}/report` })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/_mock/reset' });
    const gone = await t.app.inject({ method: 'GET', url: `/_mock/exports/${jobId}/report` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found', expression: ['jobId'] }] });
  });
});
