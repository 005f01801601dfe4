// Runs the client under grade: its command through `sh -c`, in a process group of its own, so
// that at the deadline the whole group (the shell, the client and anything it started) is
// stopped: SIGTERM, then SIGKILL after a grace. A client stopped at its deadline has timed out.
import { spawn } from 'node:child_process';

export interface ClientRun {
  /** The exit code; null when a signal ended the client (and always when it timed out). */
  exitCode: number | null;
  timedOut: boolean;
  /** The last part of what the client wrote on stdout and stderr, for the grader's messages. */
  output: string;
  ms: number;
}

export interface ClientProcessOptions {
  command: string;
  /** Added to the grader's own environment (the client keeps PATH, HOME, ...). */
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL at the deadline. */
  graceMs?: number;
  /** Aborted (the grade is interrupted): the client's whole group is killed at once. */
  signal?: AbortSignal;
}

const OUTPUT_TAIL = 4000;

/** Signals the client's process group; a group already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every process of the group has ended
  }
}

export function runClientProcess(options: ClientProcessOptions): Promise<ClientRun> {
  const started = Date.now();
  const child = spawn('sh', ['-c', options.command], {
    cwd: options.cwd,
    // The client inherits the grader's environment (PATH, HOME, a proxy) plus the kit's variables.
    // eslint-disable-next-line no-restricted-properties
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  return new Promise((resolve, reject) => {
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid!, 'SIGTERM');
      killer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), options.graceMs ?? 2000);
    }, options.timeoutMs);
    const interrupt = () => signalGroup(child.pid!, 'SIGKILL');
    options.signal?.addEventListener('abort', interrupt, { once: true });
    child.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    let exitCode: number | null = null;
    child.on('exit', (code) => {
      clearTimeout(deadline);
      exitCode = code;
      // Whatever the client left running when its shell exited does not outlive its run (and
      // releases the output pipes it may hold). At the deadline, the grace runs its course.
      if (!timedOut) signalGroup(child.pid!, 'SIGKILL');
    });
    child.on('close', () => {
      if (killer) clearTimeout(killer);
      options.signal?.removeEventListener('abort', interrupt);
      resolve({ exitCode: timedOut ? null : exitCode, timedOut, output, ms: Date.now() - started });
    });
  });
}
