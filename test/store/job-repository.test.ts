// State transitions are conditional, so a late writer cannot undo them.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createJobRepository, type JobFile } from '../../src/store/job-repository.js';

function repo() {
  const jobs = createJobRepository(openDatabase(':memory:'));
  jobs.create({
    id: 'j1',
    owner: 'u',
    request: 'http://x/$export',
    params: { types: ['Patient'], ignored: [], scenarios: [] },
    createdAt: 0,
    transactionTime: '1970-01-01T00:00:00.000Z',
    watermark: 10,
  });
  return jobs;
}

const file: JobFile = { id: 'f1', jobId: 'j1', kind: 'output', seq: 0, type: 'Patient', ridFrom: 1, ridTo: 2, count: 2, content: null };
const times = { completedAt: 5, readyAt: 5, expiresAt: 100 };

describe('job transitions', () => {
  it('accepted → in-progress → completed with files', () => {
    const jobs = repo();
    expect(jobs.start('j1', 1)).toBe(true);
    expect(jobs.complete('j1', [file], times)).toBe(true);
    expect(jobs.get('j1')).toMatchObject({ status: 'completed', startedAt: 1, completedAt: 5, readyAt: 5, expiresAt: 100 });
    expect(jobs.files('j1')).toEqual([file]);
  });

  it('a cancel that lands while the job runs wins over the late completion', () => {
    const jobs = repo();
    jobs.start('j1', 1);
    expect(jobs.cancel('j1')).toBe(true);
    expect(jobs.complete('j1', [file], times)).toBe(false);
    expect(jobs.get('j1')!.status).toBe('cancelled');
    expect(jobs.files('j1')).toEqual([]);
  });

  it('a cancelled job cannot be started, failed or cancelled again', () => {
    const jobs = repo();
    jobs.cancel('j1');
    expect(jobs.start('j1', 1)).toBe(false);
    expect(jobs.fail('j1', { resourceType: 'OperationOutcome', issue: [] }, { now: 2, readyAt: 2, expiresAt: 3 })).toBe(false);
    expect(jobs.cancel('j1')).toBe(false);
    expect(jobs.get('j1')!.status).toBe('cancelled');
  });

  it('a completed job cannot be failed, but can be cancelled (its files go)', () => {
    const jobs = repo();
    jobs.start('j1', 1);
    jobs.complete('j1', [file], times);
    expect(jobs.fail('j1', { resourceType: 'OperationOutcome', issue: [] }, { now: 2, readyAt: 2, expiresAt: 3 })).toBe(false);
    expect(jobs.cancel('j1')).toBe(true);
    expect(jobs.files('j1')).toEqual([]);
  });

  it('expired jobs are deleted with their files', () => {
    const jobs = repo();
    jobs.start('j1', 1);
    jobs.complete('j1', [file], times);
    expect(jobs.deleteExpired(99, 0)).toBe(0);
    expect(jobs.deleteExpired(100, 0)).toBe(1);
    expect(jobs.get('j1')).toBeUndefined();
    expect(jobs.file('f1')).toBeUndefined();
  });
});
