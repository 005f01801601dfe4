// Turns resource bodies into stored records, with the small builders every module uses.
import type { Resource } from '../src/fhir/r4.js';
import type { ExportableType } from '../src/fhir/resource-types.js';
import type { PopulationContext } from './population-context.js';
import { isoInstant } from './time.js';

export interface GeneratedResource {
  type: ExportableType;
  id: string;
  /** The patient whose compartment holds it; null for shared resources (practitioners, clinics). */
  patientId: string | null;
  lastUpdated: string;
  resource: Resource;
}

export const ref = (type: ExportableType, id: string) => ({ reference: `${type}/${id}` });

/**
 * Wraps a resource body as a stored record. `lastUpdatedMs` is when the record last changed;
 * it is kept before the reference date, since nothing in the data set happens after it.
 */
export function emit<T extends Resource>(
  population: PopulationContext,
  type: ExportableType,
  id: string,
  patientId: string | null,
  lastUpdatedMs: number,
  body: Omit<T, 'resourceType' | 'id' | 'meta'>,
): GeneratedResource {
  const lastUpdated = isoInstant(Math.min(lastUpdatedMs, population.referenceMs - 1000));
  const resource = { resourceType: type, id, meta: { lastUpdated }, ...body } as unknown as Resource;
  return { type, id, patientId, lastUpdated, resource };
}

/** A quantity in UCUM. */
export const quantity = (value: number, code: string, unit: string = code) => ({
  value,
  unit,
  system: 'http://unitsofmeasure.org',
  code,
});
