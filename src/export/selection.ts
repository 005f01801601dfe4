// What an export selects beyond its types (standard profile): the kick-off level, `patient`,
// `_since`/`_until` and `_typeFilter`. Turned into one SQL condition per type, applied alike
// when the files are planned and when they are downloaded, so `count` is always exact.
import type { SqlCondition, TypeFilter } from './type-filter.js';
import { typeFiltersSql } from './type-filter.js';

export interface ExportSelection {
  level: 'system' | 'patient' | 'group';
  groupId?: string;
  /** Patient ids from the `patient` parameter. */
  patients?: string[];
  /** ISO instants, inclusive, on meta.lastUpdated. */
  since?: string;
  until?: string;
  typeFilters?: TypeFilter[];
  /** `_elements`: element names, optionally `Type.element`. */
  elements?: string[];
}

export const SYSTEM_LEVEL: ExportSelection = { level: 'system' };

/** The rows of `type` an export selects, as an SQL condition on the resource table; undefined = all. */
export function selectionSql(selection: ExportSelection | undefined, type: string): SqlCondition | undefined {
  if (!selection) return undefined;
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (selection.level === 'patient') parts.push('patient_id IS NOT NULL');
  if (selection.level === 'group') {
    parts.push('patient_id IN (SELECT patient_id FROM group_member WHERE group_id = ?)');
    args.push(selection.groupId!);
  }
  if (selection.patients) {
    parts.push('patient_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(selection.patients));
  }
  if (selection.since) {
    parts.push('julianday(last_updated) >= julianday(?)');
    args.push(selection.since);
  }
  if (selection.until) {
    parts.push('julianday(last_updated) <= julianday(?)');
    args.push(selection.until);
  }
  const filters = selection.typeFilters && typeFiltersSql(type, selection.typeFilters);
  if (filters) {
    parts.push(filters.sql);
    args.push(...filters.args);
  }
  return parts.length === 0 ? undefined : { sql: parts.join(' AND '), args };
}
