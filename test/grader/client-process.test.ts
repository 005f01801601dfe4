// The client runner: exit codes, the environment, and a client that hangs (with children of
// its own) killed with its whole process group at the deadline and counted as timed out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runClientProcess } from '../../src/grader/client-process.js';
import { scratchFolder } from '../scratch.js';

const dir = scratchFolder('client-process');

/** Whether the process still runs: a zombie (ended, not yet reaped by PID 1) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Waits (boundedly) until the process is gone: a killed process may take a moment to be reaped. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
  return !alive(pid);
}

const pids = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);

describe('the client process', () => {
  it('runs the command through a shell with the given environment and gives its exit code', async () => {
    const out = join(dir, 'env.txt');
    const run = await runClientProcess({ command: `printf '%s' "$VERTO_TYPES" > ${out}; exit 3`, env: { VERTO_TYPES: 'Patient,Condition' }, timeoutMs: 10_000 });
    expect(run).toMatchObject({ exitCode: 3, timedOut: false });
    expect(readFileSync(out, 'utf8')).toBe('Patient,Condition');
  });

  it('keeps the end of what the client printed', async () => {
    const run = await runClientProcess({ command: 'echo out; echo err >&2', env: {}, timeoutMs: 10_000 });
    expect(run.exitCode).toBe(0);
    expect(run.output).toContain('out\n');
    expect(run.output).toContain('err\n');
  });

  it('kills a client that hangs, with the children it started, and counts it as timed out', async () => {
    const file = join(dir, 'hang.pids');
    // The shell starts a child of its own, then a grandchild that ignores SIGTERM, then waits for ever.
    const command = `sleep 300 & echo $! >> ${file}; sh -c 'trap "" TERM; echo $$ >> ${file}; while :; do sleep 1; done' & wait`;
    const run = await runClientProcess({ command, env: {}, timeoutMs: 500, graceMs: 300 });
    expect(run).toMatchObject({ exitCode: null, timedOut: true });
    const started = pids(file);
    expect(started).toHaveLength(2);
    for (const pid of started) expect(await gone(pid)).toBe(true);
  });

  it('ends what a client left running when it exited, without counting a timeout', async () => {
    const file = join(dir, 'left.pid');
    const run = await runClientProcess({ command: `sleep 300 & echo $! > ${file}; exit 0`, env: {}, timeoutMs: 10_000 });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await gone(pids(file)[0]!)).toBe(true);
  });

  it('kills the client at once when the grade is interrupted', async () => {
    const interrupt = new AbortController();
    const running = runClientProcess({ command: 'sleep 300', env: {}, timeoutMs: 60_000, signal: interrupt.signal });
    await sleep(100);
    interrupt.abort();
    const run = await running;
    expect(run).toMatchObject({ exitCode: null, timedOut: false });
  });
});
