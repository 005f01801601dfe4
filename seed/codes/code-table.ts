// Every code the generator may emit, gathered from the tables beside this file, so tests can
// check that nothing else appears in the data and the docs can list them.
import * as allergies from './allergies.js';
import * as care from './care.js';
import * as conditions from './conditions.js';
import * as immunizations from './immunizations.js';
import * as medications from './medications.js';
import * as observations from './observations.js';
import * as recordStatus from './record-status.js';
import type { Code } from './systems.js';

function collect(value: unknown, into: Map<string, Code>): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into);
  } else if (value !== null && typeof value === 'object') {
    const v = value as Partial<Code>;
    if (typeof v.system === 'string' && typeof v.code === 'string' && typeof v.display === 'string') {
      into.set(`${v.system}|${v.code}`, { system: v.system, code: v.code, display: v.display });
    } else {
      for (const child of Object.values(value)) collect(child, into);
    }
  }
}

/** Every code in the tables, by "system|code". */
export const CODE_TABLE: ReadonlyMap<string, Code> = (() => {
  const map = new Map<string, Code>();
  for (const table of [allergies, care, conditions, immunizations, medications, observations, recordStatus]) collect(table, map);
  return map;
})();
