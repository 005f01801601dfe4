// Groups of patients (standard profile: Group/[id]/$export, Group read and search).
import type { Db } from './database.js';

export type GroupRepository = ReturnType<typeof createGroupRepository>;

export function createGroupRepository(db: Db) {
  const read = db.prepare("SELECT json FROM resource WHERE type = 'Group' AND id = ?").pluck();
  const all = db.prepare("SELECT json FROM resource WHERE type = 'Group' ORDER BY rid").pluck();
  const isMember = db.prepare('SELECT 1 FROM group_member WHERE group_id = ? AND patient_id = ?').pluck();
  const isPatient = db.prepare("SELECT 1 FROM resource WHERE type = 'Patient' AND id = ?").pluck();
  const insertMember = db.prepare('INSERT OR IGNORE INTO group_member (group_id, patient_id) VALUES (?, ?)');
  const addMembers = db.transaction((groupId: string, patientIds: readonly string[]) => {
    for (const p of patientIds) insertMember.run(groupId, p);
  });
  return {
    /** The Group's JSON text, or undefined. */
    read(id: string): string | undefined {
      return read.get(id) as string | undefined;
    },
    /** Every Group's JSON text, in a stable order (there are few). */
    all(): string[] {
      return all.all() as string[];
    },
    /** Those of `patientIds` that are not patients (or not members of `groupId`, when given). */
    outsiders(patientIds: readonly string[], groupId?: string): string[] {
      return patientIds.filter((p) => (groupId ? !isMember.get(groupId, p) : !isPatient.get(p)));
    },
    addMembers(groupId: string, patientIds: readonly string[]): void {
      addMembers(groupId, patientIds);
    },
  };
}
