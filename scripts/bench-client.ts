// The benchmark's export client: token, kick-off, tight polling, then every file downloaded by
// N workers on their own keep-alive connections. Every file is checked as it streams (status,
// encoding, line count equal to the manifest's count, trailing newline) without keeping it.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';

const BASE = '/api/v1/connect';
/** The benchmark measures the server, so it polls far more often than Retry-After asks. */
const POLL_INTERVAL_MS = 5;

export type Encoding = 'identity' | 'gzip';

interface Response {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function send(agent: Agent, url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Response>((resolve, reject) => {
    const req = httpRequest(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function getToken(origin: string, agent: Agent): Promise<string> {
  const res = await send(agent, `${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.body.toString()}`);
  return (JSON.parse(res.body.toString()) as { access_token: string }).access_token;
}

export interface ManifestFile {
  type: string;
  url: string;
  count: number;
}

export interface ExportResult {
  resources: number;
  files: number;
  /** Bytes on the wire (compressed when gzip). */
  wireBytes: number;
  /** Bytes of NDJSON after decoding. */
  ndjsonBytes: number;
  manifestMs: number;
  totalMs: number;
  ttfbMs: number[];
  errors: string[];
  /**
   * Resources each worker downloaded. The workers run side by side for the whole download
   * and take the next file as soon as they are free, so these are their shares of the
   * throughput: equal shares = concurrent clients served evenly.
   */
  workerResources: number[];
}

/** What to export: by default every type at system level, as a Verto client asks. */
export interface ExportRequest {
  /** Query string of the kick-off, from `?` on. */
  query?: string;
  /** Headers of the kick-off (the standard profile wants Accept and Prefer). */
  headers?: Record<string, string>;
}

export async function exportAll(
  origin: string,
  tokens: string[],
  parallel: number,
  encoding: Encoding,
  request: ExportRequest = {},
): Promise<ExportResult> {
  const control = new Agent({ keepAlive: true, maxSockets: 1 });
  const auth = { authorization: `Bearer ${tokens[0]}` };
  const started = performance.now();
  const kick = await send(control, `${origin}${BASE}/fhir/$export${request.query ?? ''}`, { headers: { ...request.headers, ...auth } });
  if (kick.status !== 202) throw new Error(`kick-off failed: ${kick.status} ${kick.body.toString()}`);
  const pollUrl = kick.headers['content-location']!;
  let manifest: { output: ManifestFile[] };
  for (;;) {
    const poll = await send(control, pollUrl, { headers: auth });
    if (poll.status === 200) {
      manifest = JSON.parse(poll.body.toString()) as { output: ManifestFile[] };
      break;
    }
    if (poll.status !== 202) throw new Error(`poll failed: ${poll.status} ${poll.body.toString()}`);
    await sleep(POLL_INTERVAL_MS);
  }
  const manifestAt = performance.now();
  control.destroy();

  const files = manifest.output;
  const result: ExportResult = {
    resources: files.reduce((n, f) => n + f.count, 0),
    files: files.length,
    wireBytes: 0,
    ndjsonBytes: 0,
    manifestMs: manifestAt - started,
    totalMs: 0,
    ttfbMs: [],
    errors: [],
    workerResources: [],
  };
  let next = 0;
  const worker = async (w: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[w % tokens.length]}` };
    if (encoding === 'gzip') headers['accept-encoding'] = 'gzip';
    let resources = 0;
    while (next < files.length) {
      const file = files[next++]!;
      // Relative in the Verto profile, absolute in the standard one.
      const url = /^https?:/.test(file.url) ? file.url : `${origin}${BASE}${file.url}`;
      const got = await downloadFile(agent, url, headers, encoding);
      result.wireBytes += got.wireBytes;
      result.ndjsonBytes += got.ndjsonBytes;
      if (got.ttfbMs !== undefined) result.ttfbMs.push(got.ttfbMs);
      if (got.error) result.errors.push(`${file.url}: ${got.error}`);
      else if (got.lines !== file.count) result.errors.push(`${file.url}: ${got.lines} lines, manifest says ${file.count}`);
      resources += got.lines;
    }
    result.workerResources.push(resources);
    agent.destroy();
  };
  await Promise.all(Array.from({ length: parallel }, (_, w) => worker(w)));
  result.totalMs = performance.now() - started;
  return result;
}

interface Download {
  ttfbMs?: number;
  wireBytes: number;
  ndjsonBytes: number;
  lines: number;
  error?: string;
}

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

function downloadFile(agent: Agent, url: string, headers: Record<string, string>, encoding: Encoding): Promise<Download> {
  return new Promise((resolve) => {
    const out: Download = { wireBytes: 0, ndjsonBytes: 0, lines: 0 };
    const sent = performance.now();
    let lastByte = -1;
    const done = () => resolve(out);
    const fail = (error: string) => {
      out.error ??= error;
      done();
    };
    const req = httpRequest(url, { agent, headers }, (res) => {
      res.once('data', () => (out.ttfbMs = performance.now() - sent));
      res.on('data', (c: Buffer) => (out.wireBytes += c.length));
      res.on('error', (err) => fail(err.message));
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', () => fail(`status ${res.statusCode}`));
        return;
      }
      const gzipped = res.headers['content-encoding'] === 'gzip';
      if (gzipped !== (encoding === 'gzip')) {
        res.resume();
        res.on('end', () => fail(`content-encoding ${res.headers['content-encoding'] ?? 'none'}`));
        return;
      }
      const body = gzipped ? res.pipe(createGunzip()) : res;
      body.on('data', (c: Buffer) => {
        out.ndjsonBytes += c.length;
        out.lines += countNewlines(c);
        lastByte = c[c.length - 1] ?? lastByte;
      });
      body.on('error', (err: Error) => fail(err.message));
      body.on('end', () => (lastByte === 10 ? done() : fail('body does not end with a newline')));
    });
    req.on('error', (err) => fail(err.message));
    req.end();
  });
}

/**
 * What a health checker and a client asking for a token see during an export: one request
 * every `intervalMs`, alternating GET /health and POST /oauth/token, on its own connection.
 */
export class LatencyProbe {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly latencies: number[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  errors = 0;

  constructor(
    private readonly origin: string,
    private readonly intervalMs = 20,
  ) {}

  start(): void {
    this.running = true;
    this.latencies.length = 0;
    this.errors = 0;
    this.loop = (async () => {
      for (let i = 0; this.running; i++) {
        const t = performance.now();
        try {
          if (i % 2 === 0) {
            const res = await send(this.agent, `${this.origin}/health`);
            if (res.status !== 200) this.errors++;
          } else {
            await getToken(this.origin, this.agent);
          }
        } catch {
          this.errors++;
        }
        this.latencies.push(performance.now() - t);
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<{ maxMs: number; p99Ms: number; samples: number; errors: number }> {
    this.running = false;
    await this.loop;
    this.agent.destroy();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { maxMs: sorted.at(-1) ?? 0, p99Ms: percentile(sorted, 99), samples: sorted.length, errors: this.errors };
  }
}

/** The p-th percentile of ascending values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
