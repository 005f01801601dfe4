// A small in-memory stand-in for the store's resource and group_member tables, with only the
// columns an export's SQL conditions read, so the pure condition builders in src/export/ can be
// tested by what their conditions select rather than by how their SQL is spelt.
import Database from 'better-sqlite3';
import type { SqlCondition } from '../../src/export/type-filter.js';

export interface Row {
  type: string;
  id: string;
  patientId?: string;
  lastUpdated?: string;
  /** The resource's own elements (resourceType and id are added). */
  body?: Record<string, unknown>;
}

export function resourceTable(rows: readonly Row[], groups: Record<string, string[]> = {}) {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE resource (rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
      patient_id TEXT, last_updated TEXT NOT NULL, json TEXT NOT NULL);
    CREATE TABLE group_member (group_id TEXT NOT NULL, patient_id TEXT NOT NULL, PRIMARY KEY (group_id, patient_id));
  `);
  const insert = db.prepare('INSERT INTO resource (type, id, patient_id, last_updated, json) VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) {
    const lastUpdated = r.lastUpdated ?? '2025-01-01T00:00:00.000Z';
    const json = JSON.stringify({ resourceType: r.type, id: r.id, meta: { lastUpdated }, ...r.body });
    insert.run(r.type, r.id, r.patientId ?? null, lastUpdated, json);
  }
  const member = db.prepare('INSERT INTO group_member (group_id, patient_id) VALUES (?, ?)');
  for (const [group, patients] of Object.entries(groups)) for (const p of patients) member.run(group, p);

  return {
    /** The ids of `type`'s rows that `where` selects (all of them when undefined), in insertion order. */
    ids(type: string, where: SqlCondition | undefined): string[] {
      const sql = `SELECT id FROM resource WHERE type = ?${where ? ` AND (${where.sql})` : ''} ORDER BY rid`;
      return db.prepare(sql).pluck().all(type, ...(where?.args ?? [])) as string[];
    },
    close: () => db.close(),
  };
}
