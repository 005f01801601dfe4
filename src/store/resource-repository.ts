// Reads and writes of stored resources. Statements are prepared once; every read is a range
// scan of the (type, rid) index and returns at most `limit` rows, so no caller ever holds a
// statement open across the event loop or loads an unbounded result.
import type { Statement } from 'better-sqlite3';
import type { NdjsonPage } from '../export/ndjson-stream.js';
import type { SqlCondition } from '../export/type-filter.js';
import type { Db } from './database.js';

export interface NewResource {
  type: string;
  id: string;
  patientId: string | null;
  lastUpdated: string;
  json: string;
}

export type ResourceRepository = ReturnType<typeof createResourceRepository>;

export function createResourceRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO resource (type, id, patient_id, last_updated, json) VALUES (@type, @id, @patientId, @lastUpdated, @json)',
  );
  const maxRid = db.prepare('SELECT COALESCE(MAX(rid), 0) FROM resource').pluck();
  const countByType = db.prepare('SELECT type, COUNT(*) AS count FROM resource GROUP BY type');
  const ridsFrom = db
    .prepare('SELECT rid FROM resource WHERE type = ? AND rid > ? AND rid <= ? ORDER BY rid LIMIT ?')
    .pluck();
  const jsonFrom = db
    .prepare('SELECT rid, json FROM resource WHERE type = ? AND rid > ? AND rid <= ? ORDER BY rid LIMIT ?')
    .raw();
  // A page assembled by SQLite: the rows' JSON with a newline after each, as one BLOB, so
  // JavaScript gets one Buffer of UTF-8 per page, ready for the socket, instead of a string per
  // row or a string to encode again (docs/benchmarks.md, "What makes it fast"). Joined by the separator,
  // not by `json || char(10)`, which costs a temporary string per row). The aggregate takes the
  // rows in the order the ORDER BY ... LIMIT subquery yields them, rid order (the download
  // tests compare every file line by line with the rows in rid order).
  const ndjsonSql = (where: string) =>
    `SELECT MAX(rid), COUNT(*), CAST(GROUP_CONCAT(json, char(10)) || char(10) AS BLOB) FROM
       (SELECT rid, json FROM resource WHERE ${where} ORDER BY rid LIMIT ?)`;
  const ndjsonFrom = db.prepare(ndjsonSql('type = ? AND rid > ? AND rid <= ?')).raw();
  // Filtered reads (standard-profile selections) are prepared once per distinct condition.
  const filtered = new Map<string, { rids: Statement; json: Statement; ndjson: Statement }>();
  const filteredStatements = (condition: SqlCondition) => {
    let st = filtered.get(condition.sql);
    if (!st) {
      const where = `type = ? AND rid > ? AND rid <= ? AND (${condition.sql})`;
      st = {
        rids: db.prepare(`SELECT rid FROM resource WHERE ${where} ORDER BY rid LIMIT ?`).pluck(),
        json: db.prepare(`SELECT rid, json FROM resource WHERE ${where} ORDER BY rid LIMIT ?`).raw(),
        ndjson: db.prepare(ndjsonSql(where)).raw(),
      };
      if (filtered.size >= 256) filtered.delete(filtered.keys().next().value!);
      filtered.set(condition.sql, st);
    }
    return st;
  };
  const insertMany = db.transaction((rows: readonly NewResource[]) => {
    for (const row of rows) insert.run(row);
  });

  return {
    /** Inserts rows in one transaction. */
    insertMany(rows: readonly NewResource[]): void {
      insertMany(rows);
    },
    /** The highest rid so far: an export's snapshot is every row at or below it. */
    maxRid(): number {
      return maxRid.get() as number;
    },
    countsByType(): Record<string, number> {
      const rows = countByType.all() as { type: string; count: number }[];
      return Object.fromEntries(rows.map((r) => [r.type, r.count]));
    },
    /** The rids of up to `limit` rows of a type after `afterRid`, up to `toRid` inclusive (and matching `where`). */
    ridsAfter(type: string, afterRid: number, toRid: number, limit: number, where?: SqlCondition): number[] {
      if (where) return filteredStatements(where).rids.all(type, afterRid, toRid, ...where.args, limit) as number[];
      return ridsFrom.all(type, afterRid, toRid, limit) as number[];
    },
    /** Up to `limit` rows of a type after `afterRid`, up to `toRid` inclusive (and matching `where`), as [rid, json]. */
    jsonAfter(type: string, afterRid: number, toRid: number, limit: number, where?: SqlCondition): [number, string][] {
      if (where) return filteredStatements(where).json.all(type, afterRid, toRid, ...where.args, limit) as [number, string][];
      return jsonFrom.all(type, afterRid, toRid, limit) as [number, string][];
    },
    /**
     * Up to `limit` rows of a type after `afterRid`, up to `toRid` inclusive (and matching
     * `where`), in rid order, as one NDJSON page; undefined when there is no such row.
     */
    ndjsonAfter(type: string, afterRid: number, toRid: number, limit: number, where?: SqlCondition): NdjsonPage | undefined {
      const row = where
        ? filteredStatements(where).ndjson.get(type, afterRid, toRid, ...where.args, limit)
        : ndjsonFrom.get(type, afterRid, toRid, limit);
      const [lastRid, count, ndjson] = row as [number | null, number, Buffer | null];
      if (count === 0 || lastRid === null || ndjson === null) return undefined;
      return { lastRid, count, ndjson };
    },
  };
}
