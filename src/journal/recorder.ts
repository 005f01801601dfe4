// Watches one request to its end and turns it into a journal entry. The answer's body bytes are
// counted by the response's own write and end (shared functions, no closure per request or
// per chunk); the entry is made when the response closes, so an answer cut short (a client
// gone, a truncated download) is recorded too, with complete=false.
import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { redactUrl } from '../http/server-options.js';
import type { JournalEntry } from './journal-entry.js';
import { NOTES, type RequestNotes } from './request-notes.js';
import type { RequestJournal } from './ring.js';

const WATCH: unique symbol = Symbol('journal watch');

type Write = ServerResponse['write'];
type End = ServerResponse['end'];
type WriteHead = ServerResponse['writeHead'];

interface Watch extends RequestNotes {
  journal: RequestJournal;
  clock: Clock;
  request: FastifyRequest;
  at: number;
  start: number;
  bytes: number;
  ended: boolean;
  inEnd: boolean;
  write: Write;
  end: End;
  writeHead: WriteHead;
  /** The headers handed to writeHead (Fastify sends its headers there, where getHeader does not see them). */
  sent: Record<string, unknown> | null;
}

type Watched = ServerResponse & { [WATCH]: Watch };

function sizeOf(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

function countedWrite(this: Watched, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const w = this[WATCH];
  // Some responses' end() writes through write(): counted once, by end.
  if (!w.inEnd) w.bytes += sizeOf(chunk, encoding);
  return (w.write as (...args: unknown[]) => boolean).call(this, chunk, encoding, callback);
}

function countedEnd(this: Watched, chunk?: unknown, encoding?: unknown, callback?: unknown): Watched {
  const w = this[WATCH];
  if (typeof chunk !== 'function') w.bytes += sizeOf(chunk, encoding);
  w.ended = true;
  w.inEnd = true;
  try {
    return (w.end as (...args: unknown[]) => Watched).call(this, chunk, encoding, callback);
  } finally {
    w.inEnd = false;
  }
}

/** The headers writeHead was given, by lower-case name: an object, or a raw [name, value, ...] list. */
function headersOf(list: unknown): Record<string, unknown> | null {
  const headers: Record<string, unknown> = {};
  if (Array.isArray(list)) {
    const flat: unknown[] = list.flat();
    for (let i = 0; i + 1 < flat.length; i += 2) headers[String(flat[i]).toLowerCase()] = flat[i + 1];
  } else if (typeof list === 'object' && list !== null) {
    for (const [name, value] of Object.entries(list)) headers[name.toLowerCase()] = value;
  } else {
    return null;
  }
  return headers;
}

function watchedWriteHead(this: Watched, ...args: unknown[]): Watched {
  const w = this[WATCH];
  w.sent = headersOf(typeof args[1] === 'string' ? args[2] : args[1]);
  return (w.writeHead as (...a: unknown[]) => Watched).apply(this, args);
}

/** A header of the answer, set with setHeader or handed to writeHead. */
function headerOf(w: Watch, res: ServerResponse, name: string): unknown {
  return res.getHeader(name) ?? w.sent?.[name];
}

function onClose(this: Watched): void {
  const w = this[WATCH];
  w.journal.add(entryOf(w, this));
}

/** Starts watching a request (its onRequest hook): notes, byte counts, and the entry at its end. */
export function watchRequest(journal: RequestJournal, clock: Clock, request: FastifyRequest, res: ServerResponse): void {
  const w: Watch = {
    journal,
    clock,
    request,
    at: clock.now(),
    start: performance.now(),
    bytes: 0,
    ended: false,
    inEnd: false,
    write: res.write,
    end: res.end,
    writeHead: res.writeHead,
    sent: null,
    jobId: null,
    fileId: null,
    scenario: null,
  };
  (request as unknown as { [NOTES]: RequestNotes })[NOTES] = w;
  const watched = res as Watched;
  watched[WATCH] = w;
  res.write = countedWrite as Write;
  res.end = countedEnd as unknown as End;
  res.writeHead = watchedWriteHead as WriteHead;
  watched.once('close', onClose);
}

const JOB_ID = /(?:^|[?&])_jobId=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:&|$)/i;
const FILE_PATH = /\/file\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/download$/i;

/** Retry-After in seconds: a number as sent, an HTTP-date as the seconds from now (never below 0). */
export function retryAfterSeconds(value: unknown, now: number): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function entryOf(w: Watch, res: ServerResponse): JournalEntry {
  const { request } = w;
  const url = request.originalUrl;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : redactUrl(url.slice(q)).slice(1);
  const status = res.statusCode;
  const noBody = request.method === 'HEAD' || status === 204 || status === 304;
  const contentLocation = headerOf(w, res, 'content-location');
  const userAgent = request.headers['user-agent'];
  return {
    at: new Date(w.at).toISOString(),
    method: request.method,
    path,
    query,
    status,
    ms: Math.round((performance.now() - w.start) * 10) / 10,
    bytes: noBody ? 0 : w.bytes,
    // Ended, and every byte handed to the connection (an injected request has no connection).
    complete: w.ended && (res.writableFinished || !(res.socket instanceof Socket)),
    jobId:
      w.jobId ??
      JOB_ID.exec(query)?.[1]?.toLowerCase() ??
      (typeof contentLocation === 'string' ? (JOB_ID.exec(contentLocation.slice(contentLocation.indexOf('?')))?.[1]?.toLowerCase() ?? null) : null),
    fileId: w.fileId ?? FILE_PATH.exec(path)?.[1]?.toLowerCase() ?? null,
    token: /^bearer\s/i.test(request.headers.authorization ?? ''),
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    scenario: w.scenario,
    retryAfter: retryAfterSeconds(headerOf(w, res, 'retry-after'), w.clock.now()),
  };
}
