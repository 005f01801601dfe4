// What an export selects beyond its types (standard profile): the kick-off level, `patient`,
// `_since`/`_until`, `_typeFilter`, and the Provenance `includeAssociatedData` asks for. Turned
// into one SQL condition per type, applied alike when the files are planned and when they are
// downloaded, so `count` is always exact.
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
  /**
   * `includeAssociatedData`: the Provenance of the exported resources of `types` (all of it,
   * or only each resource's latest), exported as the type `Provenance`.
   */
  associated?: { provenance: 'latest' | 'relevant'; types: string[] };
}

/** The type the associated Provenance is exported as. */
export const ASSOCIATED_TYPE = 'Provenance';

/**
 * The Provenance rows that name, in their target, a row the export selects. Inside the
 * subquery `resource` is the target's row, so each type's own condition applies to it.
 */
function associatedSql(selection: ExportSelection & { associated: NonNullable<ExportSelection['associated']> }): SqlCondition {
  const args: (string | number)[] = [];
  const perType = selection.associated.types.map((type) => {
    args.push(type);
    const own = selectionSql({ ...selection, associated: undefined }, type);
    if (!own) return '(resource.type = ?)';
    args.push(...own.args);
    return `(resource.type = ? AND ${own.sql})`;
  });
  const latest = selection.associated.provenance === 'latest' ? 'pt.latest = 1 AND ' : '';
  return {
    sql: `rid IN (SELECT pt.provenance_rid FROM provenance_target pt JOIN resource ON resource.rid = pt.target_rid
                  WHERE ${latest}(${perType.join(' OR ') || '0'}))`,
    args,
  };
}

export const SYSTEM_LEVEL: ExportSelection = { level: 'system' };

/** The rows of `type` an export selects, as an SQL condition on the resource table; undefined = all. */
export function selectionSql(selection: ExportSelection | undefined, type: string): SqlCondition | undefined {
  if (!selection) return undefined;
  if (type === ASSOCIATED_TYPE && selection.associated) return associatedSql({ ...selection, associated: selection.associated });
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
