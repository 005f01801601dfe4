// startMock() (src/library/start-mock.ts; docs/npm-package.md, "The library"): a mock on a free
// loopback port with the admin API's controls as calls, several of them independent in one process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError, startMock, type RunningMock, type StartMockOptions } from '../../src/index.js';
import { scratchFolder } from '../scratch.js';
import { kickOff, runExport, tokenFor } from './export-flow.js';

const scratch = scratchFolder('start-mock');
const running: RunningMock[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.close()));
});

/** A mock whose jobs take no time, closed after the test. */
async function mock(options: StartMockOptions = {}): Promise<RunningMock> {
  const m = await startMock({ ...options, settings: { JOB_MIN_DURATION_MS: '0', ...options.settings } });
  running.push(m);
  return m;
}

const problem = (err: unknown) => {
  expect(err).toBeInstanceOf(HttpError);
  const e = err as HttpError;
  return { status: e.statusCode, diagnostics: e.outcome.issue[0]?.diagnostics, expression: e.outcome.issue[0]?.expression };
};

describe('startMock', () => {
  it('serves an export of its small default data set on a loopback port, with its journal and report', async () => {
    const m = await mock();
    expect(m.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(m.baseUrl).toBe(`${m.origin}/api/v1/connect`);
    expect(m.tokenUrl).toBe(`${m.origin}/oauth/token`);
    expect(m.credentials).toEqual({ username: 'demo@example.com', password: 'demo' });
    const health = (await (await fetch(`${m.origin}/health`)).json()) as { dataset: { patients: number; seed: number } };
    expect(health.dataset).toMatchObject({ patients: 10, seed: 1 });

    const run = await runExport(m);
    expect(run.counts.Patient).toBe(10);
    const entries = await m.requests({ jobId: run.jobId });
    const kinds = entries.map((e) => `${e.method} ${e.path.includes('$export-poll-status') ? 'poll' : e.path.includes('$export') ? 'kick-off' : 'download'} ${e.status}`);
    expect(kinds[0]).toBe('GET kick-off 202');
    expect(kinds.at(-1)).toBe('GET download 200');
    // The controls are calls, not requests: the journal holds the client's requests only.
    expect((await m.requests()).filter((e) => e.path.startsWith('/_mock'))).toEqual([]);
    const report = await m.report(run.jobId);
    expect(report.jobId).toBe(run.jobId);
    expect(report.summary.fail).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(0);
  });

  it('keeps several mocks in one process apart: data, armed scenarios, jobs, journal and reset', async () => {
    const [a, b] = await Promise.all([mock({ patients: 3, seed: 5 }), mock({ patients: 4, seed: 5 })]);
    expect(a.origin).not.toBe(b.origin);
    await a.arm('kickoff-error');
    const failed = await kickOff(a, await tokenFor(a));
    expect(failed.status).toBe(500);
    await failed.text();
    const run = await runExport(b);
    expect(run.counts.Patient).toBe(4);
    expect((await a.requests()).some((e) => e.jobId === run.jobId)).toBe(false);
    await a.reset();
    expect(await a.requests()).toEqual([]);
    expect((await b.requests({ jobId: run.jobId })).length).toBeGreaterThan(0);
    expect((await b.report(run.jobId)).jobId).toBe(run.jobId);
  });

  it('arms a scenario for as many kick-offs as asked, from the start or later, until reset', async () => {
    const m = await mock({ scenarios: [{ scenario: 'kickoff-error', count: 1 }] });
    const token = await tokenFor(m);
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await kickOff(m, token);
        await res.text();
        out.push(res.status);
      }
      return out;
    };
    expect(await statuses(2)).toEqual([500, 202]);
    await m.arm('kickoff-error', { count: 2 });
    expect(await statuses(3)).toEqual([500, 500, 202]);
    await m.arm('kickoff-error');
    expect(await statuses(2)).toEqual([500, 500]);
    await m.reset();
    expect(await statuses(1)).toEqual([202]);
    expect((await m.requests()).map((e) => e.scenario)).toEqual([null]);
  });

  it('refuses an unknown scenario, a bad count and an unknown job with the errors the admin API gives', async () => {
    const m = await mock();
    expect(problem(await m.arm('no-such' as never).catch((e: unknown) => e))).toMatchObject({
      status: 400,
      expression: ['scenario'],
      diagnostics: expect.stringContaining('(got "no-such")'),
    });
    expect(problem(await m.arm('slow', { count: 0 }).catch((e: unknown) => e))).toMatchObject({ status: 400, expression: ['count'] });
    expect(problem(await m.report('6f1c1f6e-0000-4000-8000-000000000000').catch((e: unknown) => e))).toMatchObject({
      status: 404,
      expression: ['jobId'],
    });
  });

  it('names a bad setting and starts nothing', async () => {
    await expect(startMock({ patients: 0 })).rejects.toThrow(/DATASET_PATIENTS="0"/);
    await expect(startMock({ settings: { AUTH: 'maybe' } })).rejects.toThrow(/AUTH="maybe"/);
  });

  it('takes the standard profile, settings by name, and a database file it creates and then reopens', async () => {
    const dbPath = join(scratch, 'library.db');
    const first = await mock({ profile: 'standard', patients: 2, seed: 9, dbPath, settings: { AUTH: 'off' } });
    const health = (await (await fetch(`${first.origin}/health`)).json()) as { profile: string; dataset: { patients: number } };
    expect(health).toMatchObject({ profile: 'standard', dataset: { patients: 2 } });
    const kick = await fetch(`${first.baseUrl}/fhir/$export`, { headers: { prefer: 'respond-async', accept: 'application/fhir+json' } });
    await kick.text();
    expect(kick.status).toBe(202);
    await first.close();
    running.splice(running.indexOf(first), 1);
    expect(existsSync(dbPath)).toBe(true);
    const again = await mock({ profile: 'standard', patients: 2, seed: 9, dbPath, settings: { AUTH: 'off' } });
    expect(again.origin).not.toBe(first.origin);
    expect(((await (await fetch(`${again.origin}/health`)).json()) as { status: string }).status).toBe('ok');
  });
});
