// A download holds one page of rows at a time, whatever the file's size: a page is read only
// when the client has taken the previous one. And the pages, assembled by SQLite, are exactly
// the rows in rid order, each followed by a newline.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NdjsonRangeStream, PAGE_ROWS, type PageReader } from '../../src/export/ndjson-stream.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createResourceRepository, type ResourceRepository } from '../../src/store/resource-repository.js';
import { seededDatabaseCopy } from '../helper.js';

let db: Db;
let resources: ResourceRepository;
beforeAll(async () => {
  db = openDatabase(await seededDatabaseCopy());
  resources = createResourceRepository(db);
});
afterAll(() => db.close());

/** rid and JSON of every row of a type, in rid order. */
const rowsOf = (type: string) =>
  db.prepare('SELECT rid, json FROM resource WHERE type = ? ORDER BY rid').raw().all(type) as [number, string][];

interface Trace {
  body: string;
  /** Pages read so far, at each moment the client was handed a chunk. */
  readsAtWrite: number[];
  writes: number;
  reads: number;
  largestPageRows: number;
}

/** Streams rows [from..to] of a type to a client that takes one chunk at a time, slowly. */
async function slowDownload(type: string, from: number, to: number, count: number, pageRows = PAGE_ROWS): Promise<Trace> {
  const trace: Trace = { body: '', readsAtWrite: [], writes: 0, reads: 0, largestPageRows: 0 };
  const reader: PageReader = (after, limit) => {
    const page = resources.ndjsonAfter(type, after, to, limit);
    trace.reads++;
    trace.largestPageRows = Math.max(trace.largestPageRows, page?.count ?? 0);
    return page;
  };
  const client = new Writable({
    highWaterMark: 1,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      trace.readsAtWrite.push(trace.reads);
      trace.writes++;
      trace.body += chunk;
      setImmediate(done);
    },
  });
  await pipeline(new NdjsonRangeStream(reader, from, count, pageRows), client);
  return trace;
}

describe('a download', () => {
  it('reads a page only once the client has taken the previous one, whatever the file size', async () => {
    const rows = rowsOf('Observation');
    expect(rows.length).toBeGreaterThan(4 * PAGE_ROWS);
    const small = await slowDownload('Observation', rows[0]![0], rows[PAGE_ROWS - 1]![0], PAGE_ROWS);
    const large = await slowDownload('Observation', rows[0]![0], rows.at(-1)![0], rows.length);

    expect(small.reads).toBe(1);
    expect(large.reads).toBe(Math.ceil(rows.length / PAGE_ROWS));
    // When the client is handed page k, at most page k+1 has been read: one page waits, never more.
    for (const trace of [small, large]) {
      trace.readsAtWrite.forEach((reads, i) => expect(reads - (i + 1)).toBeLessThanOrEqual(1));
      expect(trace.largestPageRows).toBeLessThanOrEqual(PAGE_ROWS);
    }
  });

  it('is the rows in rid order, each followed by a newline, across page boundaries', async () => {
    const rows = rowsOf('Observation');
    const first = rows[3]!;
    const last = rows[3 + 3 * 7 + 2]!; // 24 rows: pages of 7, 7, 7 and 3
    const wanted = rows.filter(([rid]) => rid >= first[0] && rid <= last[0]);
    const trace = await slowDownload('Observation', first[0], last[0], wanted.length, 7);
    expect(trace.reads).toBe(4);
    expect(trace.body).toBe(wanted.map(([, json]) => `${json}\n`).join(''));
  });

  it('stops at the end of its range even when rows of its type follow', async () => {
    const rows = rowsOf('Encounter');
    // Told to expect 12 rows, it still ends at the range's 10th: pages of 4, 4, 2, then nothing.
    const trace = await slowDownload('Encounter', rows[0]![0], rows[9]![0], 12, 4);
    expect(trace.reads).toBe(4);
    expect(trace.body).toBe(rows.slice(0, 10).map(([, json]) => `${json}\n`).join(''));
  });

  it('sends the rows as their UTF-8 bytes, unchanged, whatever the page size, characters beyond ASCII included', async () => {
    const names = ['Zoë Ångström', '山田 太郎', 'Ηλίας 🩺'];
    resources.insertMany(
      names.map((name, i) => ({
        type: 'Basic',
        id: `utf8-${i}`,
        patientId: null,
        lastUpdated: '2024-01-01T00:00:00Z',
        json: JSON.stringify({ resourceType: 'Basic', id: `utf8-${i}`, text: { div: name } }),
      })),
    );
    const rows = rowsOf('Basic');
    const wanted = Buffer.from(rows.map(([, json]) => `${json}\n`).join(''));
    expect(wanted.toString()).toContain('山田 太郎');
    for (const pageRows of [1, 2, 64, 256]) {
      const chunks: Buffer[] = [];
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) });
      const reader: PageReader = (after, limit) => resources.ndjsonAfter('Basic', after, rows.at(-1)![0], limit);
      await pipeline(new NdjsonRangeStream(reader, rows[0]![0], rows.length, pageRows), sink);
      expect(chunks.every((c) => Buffer.isBuffer(c))).toBe(true);
      expect(Buffer.concat(chunks).equals(wanted)).toBe(true);
    }
  });

  it('fails the stream, not the process, when a page cannot be read', async () => {
    const broken: PageReader = () => {
      throw new Error('disk I/O error');
    };
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await expect(pipeline(new NdjsonRangeStream(broken, 1, 10), sink)).rejects.toThrow('disk I/O error');
  });
});

describe('downloads at once', () => {
  it('take turns page by page, not file by file', async () => {
    const rows = rowsOf('Observation');
    const reads: string[] = [];
    const stream = (name: string, from: number) => {
      const reader: PageReader = (after, limit) => {
        reads.push(name);
        return resources.ndjsonAfter('Observation', after, rows[from + 29]![0], limit);
      };
      return new NdjsonRangeStream(reader, rows[from]![0], 30, 10);
    };
    const sink = () => new Writable({ decodeStrings: false, write: (_chunk, _encoding, done) => done() });
    await Promise.all([pipeline(stream('a', 0), sink()), pipeline(stream('b', 30), sink())]);
    expect(reads).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });
});
