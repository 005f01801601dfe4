// Child processes for the reproduction: output goes to a log file, and a failure quotes its end.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts `program` with stdout and stderr appended to `logFile`. */
export function startLogged(program: string, args: string[], logFile: string, options: SpawnOptions): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawn(program, args, { ...options, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

export function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Runs `program` to the end; a run longer than `timeoutMs` is killed and reported as such. */
export async function runLogged(
  program: string,
  args: string[],
  logFile: string,
  options: SpawnOptions & { timeoutMs: number },
): Promise<Exit & { timedOut: boolean }> {
  const { timeoutMs, ...spawnOptions } = options;
  const child = startLogged(program, args, logFile, spawnOptions);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    return { ...(await exitOf(child)), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** The last `lines` lines of a log, indented, for an error message. */
export function tail(logFile: string, lines = 30): string {
  if (!existsSync(logFile)) return '    (no output)';
  const all = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  return all
    .slice(-lines)
    .map((l) => `    ${l.length > 400 ? `${l.slice(0, 400)}…` : l}`)
    .join('\n');
}

export const describeExit = (exit: Exit): string =>
  exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
