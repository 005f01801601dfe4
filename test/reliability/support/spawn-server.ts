// Runs the real server (src/server.ts through tsx) as a child process, for what only a
// process can show: signals, kill -9, the boot path. It always listens on a free loopback
// port (PORT=0; the port is read from the server's own "listening" log line), and every
// child is killed when the test ends, whatever happened.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_DATASET } from '../../helper.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export type LogEntry = Record<string, unknown> & { msg?: string };

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  origin: string;
  logs: LogEntry[];
  /** Resolves with the first log entry that matches, or rejects when the process exits first. */
  waitForLog(match: (entry: LogEntry) => boolean, what: string): Promise<LogEntry>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const running = new Set<ChildProcess>();

/** Kills every child still running; call from afterEach. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    // Only what the server needs: no setting leaks in from the environment the tests run in.
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATASET_PATIENTS: String(TEST_DATASET.patients),
      DATASET_SEED: String(TEST_DATASET.seed),
      DATASET_REFERENCE_DATE: TEST_DATASET.referenceDate,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: LogEntry[] = [];
  const waiters: { match: (e: LogEntry) => boolean; resolve: (e: LogEntry) => void }[] = [];
  let errText = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as LogEntry;
      logs.push(entry);
      for (const w of [...waiters]) {
        if (w.match(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errText += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );

  const waitForLog = (match: (e: LogEntry) => boolean, what: string): Promise<LogEntry> => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveEntry, reject) => {
      waiters.push({ match, resolve: resolveEntry });
      void exited.then(({ code, signal }) =>
        reject(new Error(`server exited (${code ?? signal}) before logging ${what}; stderr: ${errText}`)),
      );
    });
  };

  const listening = await waitForLog((e) => typeof e.msg === 'string' && e.msg.startsWith('Server listening at '), 'that it listens');
  const origin = (listening.msg as string).slice('Server listening at '.length);
  return { child, port: Number(new URL(origin).port), origin, logs, waitForLog, exited, stderr: () => errText };
}
