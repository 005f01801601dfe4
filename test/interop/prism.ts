// Runs Stoplight Prism (the pinned @stoplight/prism-cli dev dependency) on the API document as a
// child process, `prism mock` or `prism proxy`, on a free loopback port (Prism's `-p 0`; the port
// is read from its "listening" line). Requests through it come back with what Prism thought of
// them: the `sl-violations` header it adds, split into request- and response-side violations.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');
const DOCUMENT = resolve(ROOT, 'openapi/openapi.yaml');
/** Prism parses the document and prints its routes before it listens: seconds, on a busy machine. */
const START_LIMIT_MS = 45_000;

export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface Prism {
  origin: string;
  /** Everything Prism printed so far. */
  output(): string;
  /** Whether the process is still running (a crash in Prism ends it). */
  running(): boolean;
  stop(): void;
}

const running = new Set<ChildProcess>();

/** Stops every Prism still running; call from afterAll. */
export function stopAllPrisms(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** `prism mock <document>` or `prism proxy <document> <upstream>`, listening on a free port. */
export async function startPrism(command: 'mock'): Promise<Prism>;
export async function startPrism(command: 'proxy', upstream: string): Promise<Prism>;
export async function startPrism(command: 'mock' | 'proxy', upstream?: string): Promise<Prism> {
  const args = [CLI, command, DOCUMENT, ...(upstream ? [upstream] : []), '--host', '127.0.0.1', '--port', '0', '--errors=false'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let text = '';
  const prism: Prism = {
    origin: '',
    output: () => text,
    running: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      child.kill('SIGKILL');
      running.delete(child);
    },
  };
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`prism ${command} did not listen within ${START_LIMIT_MS} ms:\n${text}`)), START_LIMIT_MS);
    const read = (chunk: string) => {
      text += chunk;
      const listening = /Prism is listening on (http:\/\/[0-9.]+:\d+)/.exec(text);
      if (listening && prism.origin === '') {
        clearTimeout(timer);
        prism.origin = listening[1]!;
        ready();
      }
    };
    child.stdout!.setEncoding('utf8').on('data', read);
    child.stderr!.setEncoding('utf8').on('data', read);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`prism ${command} exited (${code ?? signal}) before listening:\n${text}`));
    });
  });
  return prism;
}

/** The violations Prism reported for one exchange, by side. */
export function violations(res: Response): { request: Violation[]; response: Violation[] } {
  const header = res.headers.get('sl-violations');
  if (header === null) return { request: [], response: [] };
  // Prism truncates a header over 8 KiB behind this prefix: that many violations is a failure anyway.
  if (header.startsWith('Too many violations!')) throw new Error(header);
  const all = JSON.parse(header) as Violation[];
  return { request: all.filter((v) => v.location[0] === 'request'), response: all.filter((v) => v.location[0] === 'response') };
}
