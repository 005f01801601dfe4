// What a job looks like to its client, as a function of the job row and the clock.
import { describe, expect, it } from 'vitest';
import { isExpired, jobView } from '../../src/export/job-view.js';
import type { OperationOutcome } from '../../src/fhir/r4.js';
import type { Job } from '../../src/store/job-repository.js';

const HOUR = 3600_000;
const failure: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'no' }] };

function job(fields: Partial<Job> = {}): Job {
  return {
    id: 'j1',
    owner: 'u',
    status: 'accepted',
    request: 'http://x/$export',
    params: { types: ['Patient'], ignored: [], scenarios: [] },
    createdAt: 1000,
    startedAt: null,
    completedAt: null,
    readyAt: null,
    expiresAt: null,
    transactionTime: '1970-01-01T00:00:01.000Z',
    watermark: 10,
    error: null,
    faultState: {},
    ...fields,
  };
}

const completed = job({ status: 'completed', startedAt: 1000, completedAt: 1500, readyAt: 3000, expiresAt: 3000 + HOUR });
const failed = job({ status: 'failed', startedAt: 1000, completedAt: 1500, readyAt: 3000, expiresAt: 3000 + HOUR, error: failure });

describe('jobView', () => {
  it('accepted: in progress, queued', () => {
    expect(jobView(job(), 1000)).toEqual({ state: 'in-progress', queued: true, createdAt: 1000, readyAt: null });
  });

  it('running, files not yet planned: in progress, not queued, no readyAt', () => {
    expect(jobView(job({ status: 'in-progress', startedAt: 1000 }), 2000)).toEqual({
      state: 'in-progress',
      queued: false,
      createdAt: 1000,
      readyAt: null,
    });
  });

  it('completed, but before readyAt: still in progress, with its readyAt', () => {
    expect(jobView(completed, 2999)).toEqual({ state: 'in-progress', queued: false, createdAt: 1000, readyAt: 3000 });
  });

  it('completed, from readyAt to its expiry: ready, with Expires', () => {
    expect(jobView(completed, 3000)).toEqual({ state: 'ready', expiresAt: 3000 + HOUR, filesExpired: false });
    expect(jobView(completed, 2999 + HOUR)).toMatchObject({ state: 'ready' });
  });

  it('completed, from its expiry on: expired', () => {
    expect(jobView(completed, 3000 + HOUR)).toEqual({ state: 'expired' });
  });

  it('failed: in progress until readyAt, then failed with its OperationOutcome, even past its expiry', () => {
    expect(jobView(failed, 2999)).toMatchObject({ state: 'in-progress', readyAt: 3000 });
    expect(jobView(failed, 3000)).toEqual({ state: 'failed', error: failure });
    expect(jobView(failed, 3000 + 2 * HOUR)).toEqual({ state: 'failed', error: failure });
  });

  it('cancelled: gone, whatever else the row says', () => {
    expect(jobView(job({ status: 'cancelled' }), 1000)).toEqual({ state: 'gone' });
    expect(jobView({ ...completed, status: 'cancelled' }, 3000)).toEqual({ state: 'gone' });
  });

  it("shows the files' expiry a scenario sets: the manifest stays, the files are expired", () => {
    const adjust = { filesExpireAt: (j: Job) => j.readyAt! - 1000 };
    expect(jobView(completed, 3000, adjust)).toEqual({ state: 'ready', expiresAt: 2000, filesExpired: true });
    expect(jobView(completed, 3000, { filesExpireAt: () => undefined })).toEqual({
      state: 'ready',
      expiresAt: 3000 + HOUR,
      filesExpired: false,
    });
    // It does not keep a job past its own expiry.
    expect(jobView(completed, 3000 + HOUR, adjust)).toEqual({ state: 'expired' });
  });
});

describe('isExpired', () => {
  it('is true from expiresAt on, and never for a job without one', () => {
    expect(isExpired({ expiresAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(isExpired({ expiresAt: 5 }, 4)).toBe(false);
    expect(isExpired({ expiresAt: 5 }, 5)).toBe(true);
  });
});
