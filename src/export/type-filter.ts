// `_typeFilter` (Bulk Data IG, standard profile): FHIR search queries per resource type, over a
// documented set of search parameters. A query becomes an SQL condition on the stored JSON, so
// a filtered file is still a range scan, and its count is exact.
import { badRequest } from '../errors.js';

type ParamDef =
  | { kind: 'token'; path: string; array?: boolean }
  | { kind: 'code'; path: string }
  | { kind: 'date'; path: string };

/** The search parameters `_typeFilter` supports, per type (README, "Standard profile"). */
export const TYPE_FILTER_PARAMS: Record<string, Record<string, ParamDef>> = {
  Observation: {
    category: { kind: 'token', path: '$.category', array: true },
    code: { kind: 'token', path: '$.code' },
    date: { kind: 'date', path: '$.effectiveDateTime' },
    status: { kind: 'code', path: '$.status' },
  },
  Condition: {
    category: { kind: 'token', path: '$.category', array: true },
    'clinical-status': { kind: 'token', path: '$.clinicalStatus' },
    code: { kind: 'token', path: '$.code' },
  },
  MedicationRequest: {
    status: { kind: 'code', path: '$.status' },
    intent: { kind: 'code', path: '$.intent' },
    authoredon: { kind: 'date', path: '$.authoredOn' },
  },
  Encounter: {
    status: { kind: 'code', path: '$.status' },
    date: { kind: 'date', path: '$.period.start' },
  },
  Patient: {
    gender: { kind: 'code', path: '$.gender' },
  },
};

export interface Criterion {
  param: string;
  /** Alternatives (a comma in a search value means OR). */
  values: string[];
}

export interface TypeFilter {
  type: string;
  /** All must match. */
  criteria: Criterion[];
}

export interface SqlCondition {
  sql: string;
  args: (string | number)[];
}

const DATE_VALUE = /^(eq|gt|lt|ge|le)?(\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?)$/;

/** The instant interval [start, end) a FHIR date search value stands for. */
function dateInterval(value: string): [string, string] {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (value.length === 4) return [`${value}-01-01T00:00:00.000Z`, `${Number(value) + 1}-01-01T00:00:00.000Z`];
  if (value.length === 7) {
    const [y, m] = value.split('-').map(Number) as [number, number];
    return [iso(Date.UTC(y, m - 1, 1)), iso(Date.UTC(y, m, 1))];
  }
  if (value.length === 10) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return [iso(start), iso(start + 86_400_000)];
  }
  const at = Date.parse(value);
  return [iso(at), iso(at + 1)];
}

function validDate(value: string): boolean {
  const m = DATE_VALUE.exec(value);
  if (!m) return false;
  const v = m[2]!;
  const probe = v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v;
  const parsed = Date.parse(probe.length === 10 ? `${probe}T00:00:00Z` : probe);
  if (Number.isNaN(parsed)) return false;
  // Date.parse rolls an impossible day over (2025-02-30 becomes March 2): refuse it instead.
  const [year, month, day] = probe.slice(0, 10).split('-').map(Number);
  return day! <= new Date(Date.UTC(year!, month!, 0)).getUTCDate();
}

/** A comma that starts a new query: one followed by `Type?`. */
const NEXT_QUERY = /,(?=[A-Z][A-Za-z]*\?)/;

/**
 * The queries of one `_typeFilter` value. Each value is one FHIR search query, a comma inside
 * it belonging to the query (an OR of search values), as the Bulk Data IG (3.0.0) says; a comma
 * followed by `Type?` starts another query, so the comma-separated lists of 2.0.0 clients
 * (`Observation?category=laboratory,Condition?clinical-status=active`) still read as two.
 */
export function typeFilterQueries(value: string): string[] {
  return value.split(NEXT_QUERY).filter((q) => q !== '');
}

/** Parses one `_typeFilter` query, `Type?param=value&...`, against the supported parameters. */
export function parseTypeFilter(item: string, isType: (t: string) => boolean): TypeFilter {
  const q = item.indexOf('?');
  const type = q === -1 ? item : item.slice(0, q);
  if (q === -1 || !isType(type)) {
    throw badRequest(`_typeFilter "${item}" must be a query on an exported type, such as Observation?category=laboratory.`, '_typeFilter');
  }
  const supported = TYPE_FILTER_PARAMS[type];
  const criteria: Criterion[] = [];
  for (const [param, raw] of new URLSearchParams(item.slice(q + 1))) {
    // Own keys only: "constructor" or "toString" must not find Object.prototype's members.
    const def = supported && Object.hasOwn(supported, param) ? supported[param] : undefined;
    if (!def) {
      const list = supported ? Object.keys(supported).join(', ') : 'none';
      throw badRequest(
        `_typeFilter "${item}" uses the search parameter "${param}", which is not supported for ${type} (supported: ${list}).`,
        '_typeFilter',
      );
    }
    const values = raw.split(',');
    for (const v of values) {
      const ok = def.kind === 'date' ? validDate(v) : v !== '' && !/[\s"]/.test(v);
      if (!ok) throw badRequest(`_typeFilter "${item}": "${v}" is not a valid ${def.kind} value for ${param}.`, '_typeFilter');
    }
    criteria.push({ param, values });
  }
  if (criteria.length === 0) throw badRequest(`_typeFilter "${item}" has no search parameters.`, '_typeFilter');
  return { type, criteria };
}

function criterionSql(type: string, c: Criterion): SqlCondition {
  const def = TYPE_FILTER_PARAMS[type]![c.param]!;
  const parts: string[] = [];
  const args: (string | number)[] = [];
  for (const value of c.values) {
    if (def.kind === 'code') {
      parts.push('json_extract(resource.json, ?) = ?');
      args.push(def.path, value);
    } else if (def.kind === 'date') {
      const [, prefix = 'eq', v] = DATE_VALUE.exec(value)!;
      const [start, end] = dateInterval(v!);
      const at = 'julianday(json_extract(resource.json, ?))';
      const cmp = {
        eq: [`(${at} >= julianday(?) AND ${at} < julianday(?))`, [def.path, start, def.path, end]],
        gt: [`${at} >= julianday(?)`, [def.path, end]],
        ge: [`${at} >= julianday(?)`, [def.path, start]],
        lt: [`${at} < julianday(?)`, [def.path, start]],
        le: [`${at} < julianday(?)`, [def.path, end]],
      }[prefix as 'eq'] as [string, string[]];
      parts.push(cmp[0]);
      args.push(...cmp[1]);
    } else {
      const bar = value.indexOf('|');
      const system = bar === -1 ? undefined : value.slice(0, bar);
      const code = bar === -1 ? value : value.slice(bar + 1);
      const match: string[] = [];
      if (code !== '') {
        match.push("json_extract(c.value, '$.code') = ?");
        args.push(code);
      }
      if (system !== undefined) {
        match.push(system === '' ? "json_extract(c.value, '$.system') IS NULL" : "json_extract(c.value, '$.system') = ?");
        if (system !== '') args.push(system);
      }
      const from = def.array
        ? `json_each(resource.json, '${def.path}') cc, json_each(cc.value, '$.coding') c`
        : `json_each(resource.json, '${def.path}.coding') c`;
      parts.push(`EXISTS (SELECT 1 FROM ${from} WHERE ${match.join(' AND ') || '1'})`);
    }
  }
  return { sql: `(${parts.join(' OR ')})`, args };
}

/** The condition for the filters of one type: any filter matches (OR), all its criteria match (AND). */
export function typeFiltersSql(type: string, filters: readonly TypeFilter[]): SqlCondition | undefined {
  const mine = filters.filter((f) => f.type === type);
  if (mine.length === 0) return undefined;
  const args: (string | number)[] = [];
  const ors = mine.map((f) => {
    const ands = f.criteria.map((c) => {
      const s = criterionSql(type, c);
      args.push(...s.args);
      return s.sql;
    });
    return `(${ands.join(' AND ')})`;
  });
  return { sql: `(${ors.join(' OR ')})`, args };
}
