// One error type for every failure a client may see (CONTRIBUTING.md, "Errors"): it carries the HTTP
// status, the OperationOutcome to send and any headers. Handlers throw these; the error
// handler (src/plugins/error-handlers.ts) turns them into replies.
import type { OperationOutcome } from './fhir/r4.js';
import { operationOutcome, type IssueCode } from './fhir/operation-outcome.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly outcome: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue[0]?.diagnostics ?? `HTTP ${statusCode}`);
  }
}

const make = (status: number, code: IssueCode) => (diagnostics: string, expression?: string, headers?: Record<string, string>) =>
  new HttpError(status, operationOutcome(status >= 500 ? 'fatal' : 'error', code, diagnostics, expression), headers);

export const badRequest = (diagnostics: string, expression?: string) => make(400, 'invalid')(diagnostics, expression);
export const notSupported = (diagnostics: string, expression?: string) => make(400, 'not-supported')(diagnostics, expression);
export const unauthorized = (diagnostics: string) =>
  make(401, 'login')(diagnostics, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (diagnostics: string) => make(403, 'forbidden')(diagnostics);
export const notFound = (diagnostics: string, expression?: string) => make(404, 'not-found')(diagnostics, expression);
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  make(405, 'not-supported')(`Method ${method} is not allowed here; allowed: ${allowed.join(', ')}.`, undefined, {
    allow: allowed.join(', '),
  });
export const payloadTooLarge = (diagnostics: string) => make(413, 'too-costly')(diagnostics);
export const unsupportedMediaType = (diagnostics: string) => make(415, 'not-supported')(diagnostics);
export const tooManyRequests = (diagnostics: string, retryAfterSeconds: number) =>
  make(429, 'throttled')(diagnostics, undefined, { 'retry-after': String(retryAfterSeconds) });
export const serviceUnavailable = (diagnostics: string, retryAfterSeconds: number) =>
  make(503, 'transient')(diagnostics, undefined, { 'retry-after': String(retryAfterSeconds) });
export const internalError = (diagnostics = 'The server met an unexpected error; the details are in its log.') =>
  make(500, 'exception')(diagnostics);

/** A client's value as shown in a diagnostics text: cut short, so a huge value is not echoed back. */
export function shown(value: string, max = 80): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}
