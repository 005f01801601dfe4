// The server under test, started the way users start it (package.json's `start` command:
// its environment, node options and entry point; settings in the environment), plus what the benchmark reads from outside: peak RSS from
// /proc and, through a preloaded probe, the event loop's delay.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatasetParams } from '../src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * package.json's `start` (`[NAME=value ...] node [--options] dist/src/server.js`), split: the
 * environment and node options users start the server with (the Docker image sets the same
 * ENV and runs the same CMD), and its entry point.
 */
export function startCommand(packageJson = readFileSync(`${ROOT}package.json`, 'utf8')): {
  env: Record<string, string>;
  nodeArgs: string[];
  entry: string;
} {
  const start = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const words = start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=\S*$/.test(words[0]!)) {
    const [name, value] = words.shift()!.split(/=(.*)/s) as [string, string];
    env[name] = value;
  }
  const entry = words.at(-1) ?? '';
  if (words[0] !== 'node' || !entry.endsWith('.js') || words.slice(1, -1).some((w) => !w.startsWith('--'))) {
    throw new Error(`package.json's start script is "${start}", not "[NAME=value ...] node [--options] <file>.js".`);
  }
  return { env, nodeArgs: words.slice(1, -1), entry };
}

const START = startCommand();
const SERVER_ENTRY = `${ROOT}${START.entry}`;
const PROBE = fileURLToPath(new URL('./bench-probe.mjs', import.meta.url));
/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  /** The longest gap between two 5 ms ticks, and the CPU the process used during it. */
  worstGapMs: number;
  worstGapCpuMs: number;
  /** The longest the loop was held by the server's own work (at most min(gap, CPU) over all gaps). */
  ownWorkMs: number;
}

export interface ServerOptions {
  databasePath: string;
  dataset: DatasetParams;
  /** Where to write a V8 CPU profile when the server stops (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** More node options for the server (e.g. V8 heap settings), to see what they change. */
  nodeArgs?: string[];
  /** More settings for the server (e.g. PROFILE=standard). */
  env?: Record<string, string>;
}

/** A free loopback port: asked of the OS, then released for the server to take. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * 1024;
}

export class BenchServer {
  private exited: Promise<string>;
  private exitReason: string | undefined;
  private pending: { resolve: (message: unknown) => void; reject: (err: Error) => void }[] = [];
  /** False when the kernel would not reset the peak, so peaks span the server's whole life. */
  peakResettable = true;

  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitReason = signal ? `signal ${signal}` : `code ${code}`;
        for (const p of this.pending.splice(0)) p.reject(new Error(`the server exited (${this.exitReason})`));
        resolve(this.exitReason);
      }),
    );
    child.on('error', (err) => {
      for (const p of this.pending.splice(0)) p.reject(err);
    });
    child.on('message', (message) => this.pending.shift()?.resolve(message));
  }

  static async start(options: ServerOptions): Promise<BenchServer> {
    if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first.`);
    const port = await freePort();
    const nodeArgs = [...START.nodeArgs, '--import', PROBE];
    if (options.cpuProfileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
    nodeArgs.push(...(options.nodeArgs ?? []));
    const child = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_PATH: options.databasePath,
        DATASET_PATIENTS: String(options.dataset.patients),
        DATASET_SEED: String(options.dataset.seed),
        DATASET_REFERENCE_DATE: options.dataset.referenceDate,
        JOB_MIN_DURATION_MS: '0',
        LOG_LEVEL: 'warn',
        ...START.env,
        ...options.env,
        // glibc malloc settings given to the benchmark reach the server, to try other values.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MALLOC_') || k === 'GLIBC_TUNABLES')),
      },
    });
    const server = new BenchServer(child, `http://127.0.0.1:${port}`);
    await server.waitHealthy();
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.exitReason) throw new Error(`the server exited (${this.exitReason}) before it was ready`);
      try {
        const res = await fetch(`${this.origin}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error('the server was not healthy within 120 s');
  }

  private ask(message: 'reset' | 'read'): Promise<unknown> {
    if (this.exitReason) return Promise.reject(new Error(`the server exited (${this.exitReason})`));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.send(message);
    });
  }

  /** Starts a new measurement window: peak RSS back to the current RSS, loop-delay histogram emptied. */
  async resetPeaks(): Promise<void> {
    try {
      // "5" resets the peak resident set size (proc(5), /proc/pid/clear_refs).
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      this.peakResettable = false;
    }
    await this.ask('reset');
  }

  peakRssBytes(): number {
    return statusField(this.pid, 'VmHWM');
  }

  rssBytes(): number {
    return statusField(this.pid, 'VmRSS');
  }

  /** CPU time the server has used so far, all threads (zlib's included), in ms. */
  cpuMs(): number {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses: utime, stime.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  async loopDelay(): Promise<LoopDelay> {
    return (await this.ask('read')) as LoopDelay;
  }

  async stop(): Promise<void> {
    if (this.exitReason) return;
    this.child.kill('SIGTERM');
    const code = await Promise.race([this.exited, sleep(20_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
