// The generic job runner, with fake job functions: it knows nothing of exports.
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner, type JobContext, type JobLog } from '../../src/jobs/job-runner.js';

interface Line {
  fields: Record<string, unknown>;
  message: string;
  level: 'info' | 'error';
}

function memoryLog(lines: Line[], bindings: Record<string, unknown> = {}): JobLog {
  return {
    info: (fields, message) => lines.push({ fields: { ...bindings, ...fields }, message, level: 'info' }),
    error: (fields, message) => lines.push({ fields: { ...bindings, ...fields }, message, level: 'error' }),
    child: (more) => memoryLog(lines, { ...bindings, ...more }),
  };
}

/** Every gate still closed, opened after each test so that the runner can close. */
const openAtEnd: (() => void)[] = [];

/** A job function whose runs wait until released, one by one, by id. */
function gatedWork() {
  const started: string[] = [];
  const gates = new Map<string, { release: () => void; fail: (err: Error) => void }>();
  const contexts = new Map<string, JobContext<number>>();
  const work = (job: JobContext<number>) =>
    new Promise<void>((resolve, reject) => {
      started.push(job.id);
      contexts.set(job.id, job);
      gates.set(job.id, { release: resolve, fail: reject });
      openAtEnd.push(resolve);
    });
  return { started, gates, contexts, work };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

let runner: JobRunner<number> | undefined;
afterEach(async () => {
  for (const release of openAtEnd.splice(0)) release();
  await runner?.close();
  runner = undefined;
});

function makeRunner(work: (job: JobContext<number>) => Promise<void>, { concurrency = 2, backlog = 2 } = {}) {
  const lines: Line[] = [];
  const failures: [string, unknown][] = [];
  runner = new JobRunner<number>({
    concurrency,
    backlog,
    log: memoryLog(lines),
    label: 'test job',
    work,
    recordFailure: (id, err) => failures.push([id, err]),
  });
  return { runner, lines, failures };
}

describe('the job runner', () => {
  it('runs at most `concurrency` jobs at once, the rest in the order they came', async () => {
    const { started, gates, work } = gatedWork();
    const { runner } = makeRunner(work, { concurrency: 2, backlog: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) runner.enqueue(id);
    await turn();
    expect(started).toEqual(['a', 'b']);
    expect(runner.isQueued('c')).toBe(true);
    gates.get('b')!.release();
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('a')!.release();
    gates.get('c')!.release();
    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(runner.isRunning('a')).toBe(false);
    expect(runner.isRunning('e')).toBe(true);
  });

  it('has room for `concurrency + backlog` jobs; a job taken out of the queue gives its place back', async () => {
    const { started, work } = gatedWork();
    const { runner } = makeRunner(work, { concurrency: 1, backlog: 2 });
    runner.enqueue('a');
    runner.enqueue('b');
    expect(runner.hasRoom()).toBe(true);
    runner.enqueue('c');
    expect(runner.hasRoom()).toBe(false);
    runner.unqueue('b');
    expect(runner.hasRoom()).toBe(true);
    runner.clearQueue();
    expect(runner.isQueued('c')).toBe(false);
    await turn();
    expect(started).toEqual(['a']);
  });

  it('records a failed job and logs it with its id and duration, then runs the next', async () => {
    const { started, gates, work } = gatedWork();
    const { runner, lines, failures } = makeRunner(work, { concurrency: 1 });
    runner.enqueue('a');
    runner.enqueue('b');
    await turn();
    const boom = new Error('boom');
    gates.get('a')!.fail(boom);
    await turn();
    expect(failures).toEqual([['a', boom]]);
    const failed = lines.find((l) => l.level === 'error')!;
    expect(failed).toMatchObject({ message: 'test job failed', fields: { jobId: 'a', outcome: 'failed', err: boom } });
    expect(typeof failed.fields.ms).toBe('number');
    expect(started).toEqual(['a', 'b']);
  });

  it('logs a failure it cannot record instead of letting it escape', async () => {
    const lines: Line[] = [];
    runner = new JobRunner<number>({
      concurrency: 1,
      backlog: 0,
      log: memoryLog(lines),
      work: async () => {
        throw new Error('work failed');
      },
      recordFailure: () => {
        throw new Error('database gone');
      },
    });
    runner.enqueue('a');
    await turn();
    await turn();
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'job failed'],
      ['error', 'job failure could not be recorded'],
    ]);
    expect((lines[1]!.fields.err as Error).message).toBe('database gone');
  });

  it('keeps what a running job reports, and forgets it when the job ends', async () => {
    const { gates, contexts, work } = gatedWork();
    const { runner } = makeRunner(work);
    runner.enqueue('a');
    await turn();
    expect(runner.progressOf('a')).toBeUndefined();
    contexts.get('a')!.report(3);
    expect(runner.progressOf('a')).toBe(3);
    gates.get('a')!.release();
    await turn();
    expect(runner.progressOf('a')).toBeUndefined();
  });

  it('resumes unfinished jobs in the order given, logging each', async () => {
    const { started, work } = gatedWork();
    const { runner, lines } = makeRunner(work, { concurrency: 3 });
    runner.resume([
      { id: 'x', status: 'in-progress' },
      { id: 'y', status: 'accepted' },
    ]);
    await turn();
    expect(started).toEqual(['x', 'y']);
    expect(lines.filter((l) => l.message === 'resuming unfinished test job').map((l) => l.fields)).toEqual([
      { jobId: 'x', status: 'in-progress' },
      { jobId: 'y', status: 'accepted' },
    ]);
  });

  it('on close: drops the queue, aborts the running jobs and waits for them and its supervised tasks', async () => {
    const { started, gates, contexts, work } = gatedWork();
    const { runner } = makeRunner(work, { concurrency: 1 });
    runner.enqueue('a');
    runner.enqueue('b');
    await turn();
    let swept = false;
    void runner.supervise(turn().then(() => (swept = true)));
    let closed = false;
    const closing = runner.close().then(() => (closed = true));
    expect(contexts.get('a')!.signal.aborted).toBe(true);
    expect(runner.isClosed).toBe(true);
    await turn();
    await turn();
    expect(closed).toBe(false); // job a has not stopped yet
    gates.get('a')!.release();
    await closing;
    expect(swept).toBe(true);
    expect(started).toEqual(['a']); // b never ran
    runner.enqueue('c');
    await turn();
    expect(started).toEqual(['a']);
  });
});
