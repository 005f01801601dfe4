// Checks every response an app sends against the document the app serves, as the bytes leave
// it (so inject and supertest alike are covered, compressed or streamed). Departures are
// collected, not thrown: a test's own assertions still run, and contract-setup.ts fails the
// test afterwards with the list.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ContractValidator, type Exchange, type OpenApiDocument } from './contract-validator.js';
import { isOutsideTheApi } from './outside-the-api.js';

const pending: string[] = [];
const produced = new Set<string>();

/** "METHOD template status" of every response checked in this test file so far. */
export function producedResponses(): ReadonlySet<string> {
  return produced;
}

/** The departures recorded since the last call, and forgets them. */
export function takeViolations(): string[] {
  return pending.splice(0);
}

// Compiled schemas are kept per document text: a test file builds many apps on one document.
const byText = new Map<string, ContractValidator>();
const byDocument = new WeakMap<object, ContractValidator>();

export function validatorFor(document: OpenApiDocument): ContractValidator {
  let validator = byDocument.get(document);
  if (!validator) {
    const key = JSON.stringify(document);
    validator = byText.get(key) ?? new ContractValidator(document);
    byText.set(key, validator);
    byDocument.set(document, validator);
  }
  return validator;
}

type Chunk = string | Buffer | Uint8Array;
const toBuffer = (chunk: Chunk, encoding?: unknown): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk);

/**
 * Adds a hook to `app` (before it is ready) that checks each response when it ends.
 * `onViolation` receives each departure; by default they wait for takeViolations().
 */
export function recordContract(app: FastifyInstance, onViolation: (problem: string) => void = (p) => pending.push(p)): void {
  // onSend runs for every reply, errors thrown by earlier hooks included, just before the
  // response is written: the place to watch what is written.
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url.split('?')[0]!;
    if (isOutsideTheApi(request.method, path)) return payload;
    const res = reply.raw as ServerResponse;
    const chunks: Buffer[] = [];
    let headHeaders: Record<string, string | string[] | number | undefined> = {};

    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
      if (headers && !Array.isArray(headers)) {
        headHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v as string]));
      }
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;

    const write = res.write;
    res.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
      chunks.push(toBuffer(chunk, rest[0]));
      return (write as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
    } as typeof res.write;

    const end = res.end;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      const [chunk, encoding] = args;
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk as Chunk, encoding));
      const headers = { ...lowerCased(res.getHeaders()), ...headHeaders };
      record(app, { method: request.method, path, status: res.statusCode, headers, body: Buffer.concat(chunks) }, onViolation);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.end;
    return payload;
  });
}

/** Checks one exchange against the document `app` serves, and counts it as produced. */
function record(app: FastifyInstance, exchange: Exchange, onViolation: (problem: string) => void): void {
  try {
    const validator = validatorFor(app.swagger() as unknown as OpenApiDocument);
    const problems = validator.check(exchange);
    produced.add(`${exchange.method} ${validator.templateOf(exchange.path) ?? exchange.path} ${exchange.status}`);
    problems.forEach(onViolation);
  } catch (err) {
    onViolation(`${exchange.method} ${exchange.path}: the response could not be checked: ${(err as Error).message}`);
  }
}

/**
 * Checks an injected response that no hook of `app` saw, as the recorder checks the others:
 * the router's own refusals (a malformed percent-encoding, a path segment over the length
 * limit) are answered before any hook runs, so recordContract cannot watch them.
 */
export function recordUnhooked(
  app: FastifyInstance,
  method: string,
  url: string,
  response: LightMyRequestResponse,
  onViolation: (problem: string) => void = (p) => pending.push(p),
): void {
  const path = url.split('?')[0]!;
  record(app, { method, path, status: response.statusCode, headers: lowerCased(response.headers), body: response.rawPayload }, onViolation);
}

function lowerCased(headers: Record<string, unknown>): Record<string, string | string[] | number | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v as string]));
}
