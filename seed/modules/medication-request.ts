import type { MedicationRequest } from '../../src/fhir/r4.js';
import { MEDICATIONS, type ConditionKey } from '../codes.js';
import type { GeneratedResource, PatientContext } from '../context.js';
import { isoInstant } from '../context.js';

/** A first-line prescription for each condition, written at the visit that diagnosed it. */
export function generateMedicationRequests(ctx: PatientContext): GeneratedResource[] {
  const { faker } = ctx;
  return ctx.conditions.map((condition) => {
    const med = MEDICATIONS[condition.key as ConditionKey];
    const encounter = ctx.encounters.find((e) => e.start.getTime() === condition.onset.getTime()) ?? ctx.encounters[0]!;
    const id = faker.string.uuid();
    const resource: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id,
      meta: { lastUpdated: isoInstant(encounter.end) },
      status: ctx.deathDate ? 'stopped' : 'active',
      intent: 'order',
      medicationCodeableConcept: { coding: [med.code], text: med.code.display },
      subject: { reference: `Patient/${ctx.patientId}` },
      encounter: { reference: `Encounter/${encounter.id}` },
      authoredOn: isoInstant(encounter.start),
      requester: { reference: `Practitioner/${encounter.practitionerId}` },
      reasonReference: [{ reference: `Condition/${condition.id}` }],
      dosageInstruction: [{ text: med.dosage }],
    };
    return { type: 'MedicationRequest', id, patientId: ctx.patientId, lastUpdated: isoInstant(encounter.end), resource };
  });
}
