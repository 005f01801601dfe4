// The concurrency scenario of `npm run bench`: many keep-alive clients downloading one full
// file over and over for a fixed time, against the server and, in the same run, against a bare
// Node server sending the same bytes from memory (scripts/bench-baseline.mjs). The load
// generator (scripts/bench-load.mjs, autocannon) runs in a process of its own for each run.
// The two servers take turns at each client count, so a noisy minute lands on both.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatasetParams } from '../src/config.js';
import { getToken } from './bench-client.js';
import { BenchServer, type LoopDelay } from './bench-server.js';

const BASE = '/api/v1/connect';
const LOAD = fileURLToPath(new URL('./bench-load.mjs', import.meta.url));
const BASELINE = fileURLToPath(new URL('./bench-baseline.mjs', import.meta.url));
/** A download slower than this fails a client with a common read timeout. */
export const SLOW_MS = 10_000;

/** What one load-generator run saw. */
export interface LoadResult {
  connections: number;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  over10s: number;
}

export type CrowdEncoding = 'identity' | 'gzip';

export interface CrowdRow {
  clients: number;
  /** What the clients ask for: the file as it is, or gzip (`Accept-Encoding: gzip`). */
  encoding: CrowdEncoding;
  mock: LoadResult;
  baseline: LoadResult;
  /** The server's own event-loop delay during its run (scripts/bench-probe.mjs). */
  loop: LoopDelay;
  /** The server's peak resident memory during its run, in bytes. */
  peakRss: number;
}

export interface CrowdResult {
  /** Resources and bytes of the file every client downloads. */
  fileResources: number;
  fileBytes: number;
  seconds: number;
  rows: CrowdRow[];
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(agent: Agent, url: string, headers: Record<string, string>): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Exports the Observations and returns the first full file's URL and bytes. */
export async function fullFile(origin: string, token: string): Promise<{ url: string; count: number; body: Buffer }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const auth = { authorization: `Bearer ${token}` };
  try {
    const kick = await get(agent, `${origin}${BASE}/fhir/$export?_type=Observation`, auth);
    if (kick.status !== 202) throw new Error(`kick-off failed: ${kick.status} ${kick.body.toString()}`);
    const pollUrl = kick.headers['content-location'] as string;
    for (;;) {
      const poll = await get(agent, pollUrl, auth);
      if (poll.status === 200) {
        const files = (JSON.parse(poll.body.toString()) as { output: { url: string; count: number }[] }).output;
        const largest = Math.max(...files.map((f) => f.count));
        const file = files.find((f) => f.count === largest);
        if (!file) throw new Error('the export has no Observation file');
        const url = /^https?:/.test(file.url) ? file.url : `${origin}${BASE}${file.url}`;
        const got = await get(agent, url, auth);
        if (got.status !== 200) throw new Error(`download failed: ${got.status}`);
        return { url, count: file.count, body: got.body };
      }
      if (poll.status !== 202) throw new Error(`poll failed: ${poll.status} ${poll.body.toString()}`);
      await sleep(20);
    }
  } finally {
    agent.destroy();
  }
}

/** Runs node on a script and resolves with the first line it prints, leaving it running. */
function startChild(script: string, args: string[]) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (code ${code}) before it answered`)));
    child.once('error', reject);
  });
  return { child, firstLine };
}

async function load(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  const { firstLine } = startChild(LOAD, [JSON.stringify({ url, connections, seconds, headers })]);
  return JSON.parse(await firstLine) as LoadResult;
}

export async function crowdBench(
  path: string,
  dataset: DatasetParams,
  options: { clients: number[]; encodings: CrowdEncoding[]; seconds: number; scratch: string; nodeArgs?: string[]; cpuProfileDir?: string; log: (text: string) => void },
): Promise<CrowdResult> {
  const { log } = options;
  const server = await BenchServer.start({ databasePath: path, dataset, nodeArgs: options.nodeArgs, cpuProfileDir: options.cpuProfileDir });
  const baselineFile = join(options.scratch, 'crowd-file.ndjson');
  let baseline: ReturnType<typeof startChild> | undefined;
  try {
    const tokenAgent = new Agent({ keepAlive: false });
    const token = await getToken(server.origin, tokenAgent);
    tokenAgent.destroy();
    const file = await fullFile(server.origin, token);
    writeFileSync(baselineFile, file.body);
    baseline = startChild(BASELINE, [baselineFile]);
    const { port } = JSON.parse(await baseline.firstLine) as { port: number };
    const baselineUrl = `http://127.0.0.1:${port}/file`;
    log(`concurrency: one file of ${file.count} resources, ${file.body.length} bytes, ${options.seconds} s per run`);
    const rows: CrowdRow[] = [];
    for (const clients of options.clients) {
      for (const encoding of options.encodings) {
        const asked: Record<string, string> = encoding === 'gzip' ? { 'accept-encoding': 'gzip' } : {};
        await server.resetPeaks();
        const mock = await load(file.url, clients, options.seconds, { authorization: `Bearer ${token}`, ...asked });
        const loop = await server.loopDelay();
        const peakRss = server.peakRssBytes();
        const base = await load(baselineUrl, clients, options.seconds, asked);
        rows.push({ clients, encoding, mock, baseline: base, loop, peakRss });
        for (const [name, r] of [['mock', mock], ['baseline', base]] as const) {
          log(
            `  ${clients} clients, ${encoding}, ${name}: ${r.ok} files in ${r.seconds} s (${(r.ok / r.seconds).toFixed(0)}/s), ` +
              `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${Math.round(r.maxMs)} ms, over 10 s ${r.over10s}, errors ${r.errors + r.non2xx}` +
              (name === 'mock' ? `; server loop delay max ${loop.maxMs} ms, p99 ${loop.p99Ms} ms, peak RSS ${mb(peakRss)} MB` : ''),
          );
        }
      }
    }
    return { fileResources: file.count, fileBytes: file.body.length, seconds: options.seconds, rows };
  } finally {
    baseline?.child.kill('SIGTERM');
    await server.stop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
/** The resident memory the server must stay under, whatever the crowd. */
export const RSS_LIMIT_MB = 150;
const latency = (r: LoadResult) => `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)} / ${fmt(r.maxMs)}`;
const errors = (r: LoadResult) => r.errors + r.non2xx;
const filesPerS = (r: LoadResult) => r.ok / r.seconds;

export function crowdTable(result: CrowdResult): string {
  const head = [
    `Every client downloads the same file (${result.fileResources} Observations, ${fmt(result.fileBytes / 1e3)} kB) on one keep-alive`,
    `connection, back to back, for ${result.seconds} s. Latencies in ms; "over 10 s" counts downloads that took longer;`,
    'errors are failed or non-2xx responses. The baseline is a bare Node server sending the same bytes from memory.',
    '',
    '| clients | encoding | mock files/s | mock resources/s | mock p50 / p99 / max | mock over 10 s | mock errors | baseline files/s | baseline p50 / p99 / max | baseline over 10 s | baseline errors | mock / baseline files/s | mock max / p99 | server loop delay max | server peak RSS |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = result.rows.map(({ clients, encoding, mock, baseline, loop, peakRss }) =>
    [
      fmt(clients),
      encoding,
      fmt(filesPerS(mock)),
      fmt(filesPerS(mock) * result.fileResources),
      latency(mock),
      fmt(mock.over10s),
      fmt(errors(mock)),
      fmt(filesPerS(baseline)),
      latency(baseline),
      fmt(baseline.over10s),
      fmt(errors(baseline)),
      `${Math.round((filesPerS(mock) / filesPerS(baseline)) * 100)} %`,
      mock.p99Ms > 0 ? `${(mock.maxMs / mock.p99Ms).toFixed(1)}×` : '–',
      `${fmt(loop.maxMs)} ms`,
      `${mb(peakRss)} MB`,
    ].join(' | '),
  );
  return [...head, ...rows.map((r) => `| ${r} |`)].join('\n');
}

export interface CrowdTarget {
  target: string;
  measured: string;
  met: boolean;
}

/** The concurrency targets: nothing over 10 s, max ≤ 3 × p99, no error and RSS ≤ 150 MB at every count, ≥ 60 % of the baseline at 100 clients. */
export function crowdTargets(result: CrowdResult): CrowdTarget[] {
  const targets: CrowdTarget[] = result.rows.flatMap(({ clients: n, encoding, mock, peakRss }) => {
    const clients = `${fmt(n)} clients${encoding === 'gzip' ? ', gzip' : ''}`;
    return [
    { target: `no download over 10 s at ${clients}`, measured: `${fmt(mock.over10s)} over 10 s`, met: mock.over10s === 0 },
    {
      target: `max ≤ 3 × p99 at ${clients}`,
      measured: `max ${fmt(mock.maxMs)} ms, p99 ${fmt(mock.p99Ms)} ms`,
      met: mock.maxMs <= 3 * mock.p99Ms,
    },
    { target: `no errors at ${clients}`, measured: `${fmt(errors(mock))} errors`, met: errors(mock) === 0 },
    { target: `server peak RSS ≤ ${RSS_LIMIT_MB} MB at ${clients}`, measured: `${mb(peakRss)} MB`, met: mb(peakRss) <= RSS_LIMIT_MB },
    ];
  });
  const at100 = result.rows.find((r) => r.clients === 100 && r.encoding === 'identity');
  if (at100) {
    const ratio = filesPerS(at100.mock) / filesPerS(at100.baseline);
    targets.push({ target: 'files/s ≥ 60 % of the baseline at 100 clients', measured: `${Math.round(ratio * 100)} %`, met: ratio >= 0.6 });
  }
  return targets;
}

export function crowdTargetsTable(targets: CrowdTarget[]): string {
  return ['| target | measured | met |', '|---|---|---|', ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`)].join('\n');
}
