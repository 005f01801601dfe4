// A tiny HTTP client over real sockets, for tests that need what app.inject cannot show: the
// Node HTTP parser, header limits, streaming, TLS, and a server in another process.
import type { FastifyInstance } from 'fastify';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as sent (still compressed when Content-Encoding says so). */
  raw: Buffer;
  /** The body decoded from its Content-Encoding, as text. */
  text: string;
}

export interface HttpRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface Target {
  port: number;
  https?: { ca: string | Buffer; servername?: string };
}

/** Starts the app on a free loopback port and returns the port. */
export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

export function decodeBody(raw: Buffer, encoding: string | string[] | undefined): string {
  if (encoding === 'gzip') return gunzipSync(raw).toString('utf8');
  if (encoding === 'deflate') return inflateSync(raw).toString('utf8');
  return raw.toString('utf8');
}

export function send(target: Target, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port: target.port,
      method: req.method ?? 'GET',
      path: req.path,
      // Node sends a GET body with neither Content-Length nor chunking; say how long it is.
      headers: { ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers },
      agent: false as const,
      ...(target.https ? { ca: target.https.ca, servername: target.https.servername } : {}),
    };
    const r = (target.https ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        try {
          resolve({ status: res.statusCode!, headers: res.headers, raw, text: decodeBody(raw, res.headers['content-encoding']) });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
