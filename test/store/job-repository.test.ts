// State transitions are conditional, so a late writer cannot undo them.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createJobRepository, WRITE_SLICE_ROWS, type JobFile } from '../../src/store/job-repository.js';

function repo(db = openDatabase(':memory:')) {
  const jobs = createJobRepository(db);
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
const manyFiles = (n: number): JobFile[] =>
  Array.from({ length: n }, (_, seq) => ({ ...file, id: `f${String(seq).padStart(5, '0')}`, seq, ridFrom: seq, ridTo: seq, count: 1 }));

describe('job transitions', () => {
  it('accepted → in-progress → completed with files', async () => {
    const jobs = repo();
    expect(jobs.start('j1', 1)).toBe(true);
    expect(await jobs.complete('j1', [file], times)).toBe(true);
    expect(jobs.get('j1')).toMatchObject({ status: 'completed', startedAt: 1, completedAt: 5, readyAt: 5, expiresAt: 100 });
    expect(jobs.files('j1')).toEqual([file]);
  });

  it('a cancel that lands while the job runs wins over the late completion', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    expect(jobs.cancel('j1')).toBe(true);
    expect(await jobs.complete('j1', [file], times)).toBe(false);
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

  it('a completed job cannot be failed, but can be cancelled (its files go)', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    await jobs.complete('j1', [file], times);
    expect(jobs.fail('j1', { resourceType: 'OperationOutcome', issue: [] }, { now: 2, readyAt: 2, expiresAt: 3 })).toBe(false);
    expect(jobs.cancel('j1')).toBe(true);
    expect(jobs.files('j1')).toEqual([]);
  });

  it('expired jobs are deleted with their files', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    await jobs.complete('j1', [file], times);
    expect(await jobs.deleteExpired(99, 0)).toBe(0);
    expect(await jobs.deleteExpired(100, 0)).toBe(1);
    expect(jobs.get('j1')).toBeUndefined();
    expect(jobs.file('f1')).toBeUndefined();
  });

  it('writes thousands of files in slices, giving the event loop turns, and shows none before the last', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    const many = manyFiles(3 * WRITE_SLICE_ROWS + 5);
    const seen: { files: number; status: string }[] = [];
    const watch = setInterval(() => seen.push({ files: jobs.files('j1').length, status: jobs.get('j1')!.status }), 0);
    const ticks = async () => {
      for (let i = 0; i < 8; i++) {
        seen.push({ files: jobs.files('j1').length, status: jobs.get('j1')!.status });
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const [completed] = await Promise.all([jobs.complete('j1', many, times), ticks()]);
    clearInterval(watch);
    expect(completed).toBe(true);
    expect(jobs.files('j1')).toEqual(many);
    // Between slices the job was still running, with part of its files written.
    const between = seen.filter((s) => s.files > 0 && s.files < many.length);
    expect(between.length).toBeGreaterThan(0);
    expect(between.every((s) => s.status === 'in-progress' && s.files % WRITE_SLICE_ROWS === 0)).toBe(true);
  });

  it('a cancel between slices leaves no file behind, and a resumed run starts its files afresh', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    const many = manyFiles(4 * WRITE_SLICE_ROWS);
    const writing = jobs.complete('j1', many, times);
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.cancel('j1')).toBe(true);
    expect(await writing).toBe(false);
    expect(jobs.get('j1')!.status).toBe('cancelled');
    expect(jobs.files('j1')).toEqual([]);

    // A run resumed after a restart rewrites the files from the start: none left from before.
    const db = openDatabase(':memory:');
    const resumed = repo(db);
    resumed.start('j1', 1);
    db.prepare("INSERT INTO job_file (id, job_id, kind, seq, type, count) VALUES ('stale', 'j1', 'output', 0, 'Patient', 1)").run();
    expect(await resumed.complete('j1', many, times)).toBe(true);
    expect(resumed.files('j1')).toEqual(many);
    // A completed job keeps its files when a late run tries to complete it again.
    expect(await resumed.complete('j1', manyFiles(1), times)).toBe(false);
    expect(resumed.files('j1')).toEqual(many);
  });

  it('sweeps big expired jobs a slice of files at a time and stops when asked', async () => {
    const jobs = repo();
    jobs.start('j1', 1);
    await jobs.complete('j1', manyFiles(3 * WRITE_SLICE_ROWS), times);
    let turns = 0;
    const stopAfterOne = () => ++turns >= 1;
    expect(await jobs.deleteExpired(100, 0, stopAfterOne)).toBe(0);
    expect(jobs.files('j1')).toHaveLength(2 * WRITE_SLICE_ROWS);
    expect(await jobs.deleteExpired(100, 0)).toBe(1);
    expect(jobs.get('j1')).toBeUndefined();
    expect(jobs.files('j1')).toEqual([]);
  });

  it("reads a job's scenarios as the names this server knows, and its fault state as stored", () => {
    const db = openDatabase(':memory:');
    const jobs = repo(db);
    db.prepare('UPDATE job SET params = ? WHERE id = ?').run(
      JSON.stringify({ types: ['Patient'], ignored: [], scenarios: ['slow', 'no-longer-a-scenario', 'partial'] }),
      'j1',
    );
    expect(jobs.get('j1')!.params).toEqual({ types: ['Patient'], ignored: [], scenarios: ['slow', 'partial'] });
    expect(jobs.updateFaultState('j1', (state) => ((state.nextPollAt = 5), 'changed'))).toBe('changed');
    expect(jobs.get('j1')!.faultState).toEqual({ nextPollAt: 5 });
  });
});
