// A generated population held in memory for the data tests, with lookups by type and patient.
import type { DatasetParams } from '../../src/config.js';
import type { Resource } from '../../src/fhir/r4.js';
import { generatePopulation } from '../../seed/generator.js';
import type { GeneratedResource } from '../../seed/emit.js';

export interface Population {
  params: DatasetParams;
  all: GeneratedResource[];
  byType: Map<string, GeneratedResource[]>;
  byKey: Map<string, GeneratedResource>;
  byPatient: Map<string, GeneratedResource[]>;
}

export function generate(params: DatasetParams): Population {
  const all = [...generatePopulation(params)];
  const byType = new Map<string, GeneratedResource[]>();
  const byKey = new Map<string, GeneratedResource>();
  const byPatient = new Map<string, GeneratedResource[]>();
  for (const r of all) {
    byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    byKey.set(`${r.type}/${r.id}`, r);
    if (r.patientId) {
      let list = byPatient.get(r.patientId);
      if (!list) byPatient.set(r.patientId, (list = []));
      list.push(r);
    }
  }
  return { params, all, byType, byKey, byPatient };
}

/** Every `reference` in a resource. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

/** Every Coding (an object with system and code) in a resource. */
export function codingsIn(value: unknown, out: { system: string; code: string; display?: string }[] = []) {
  if (Array.isArray(value)) for (const v of value) codingsIn(v, out);
  else if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.system === 'string' && typeof v.code === 'string' && !('value' in v)) {
      out.push({ system: v.system, code: v.code, ...(typeof v.display === 'string' ? { display: v.display } : {}) });
    } else for (const child of Object.values(v)) codingsIn(child, out);
  }
  return out;
}

/** Clinical dates in a resource (not meta, not a vaccine lot's expiry), with where they sit. */
export function clinicalDatesIn(resource: Resource): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'meta' || k === 'expirationDate' || k === 'data' || k === 'birthDate') continue;
        walk(v, path ? `${path}.${k}` : k);
      }
    } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
      out.push({ path, value });
    }
  };
  walk(resource, '');
  return out;
}
