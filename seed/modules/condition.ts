import type { Condition } from '../../src/fhir/r4.js';
import { CONDITIONS, SYSTEMS, type ConditionKey } from '../codes.js';
import type { GeneratedResource, PatientContext } from '../context.js';
import { ageInYears, isoDate, isoInstant } from '../context.js';

/** Chronic conditions by age, recorded at one of the patient's encounters. */
export function generateConditions(ctx: PatientContext): GeneratedResource[] {
  const { faker } = ctx;
  const out: GeneratedResource[] = [];
  for (const key of Object.keys(CONDITIONS) as ConditionKey[]) {
    const def = CONDITIONS[key];
    const encounter = faker.helpers.arrayElement(ctx.encounters);
    const roll = faker.number.float({ min: 0, max: 1 });
    if (ageInYears(ctx.birthDate, encounter.start) < def.fromAge || roll >= def.prevalence) continue;
    const id = faker.string.uuid();
    ctx.conditions.push({ id, key, onset: encounter.start });
    const condition: Condition = {
      resourceType: 'Condition',
      id,
      meta: { lastUpdated: isoInstant(encounter.end) },
      clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' }] },
      verificationStatus: {
        coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' }],
      },
      category: [
        { coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] },
      ],
      code: { coding: [def.code], text: def.code.display.replace(/ \(disorder\)$/, '') },
      subject: { reference: `Patient/${ctx.patientId}` },
      encounter: { reference: `Encounter/${encounter.id}` },
      onsetDateTime: isoInstant(encounter.start),
      recordedDate: isoDate(encounter.start),
      recorder: { reference: `Practitioner/${encounter.practitionerId}` },
    };
    out.push({ type: 'Condition', id, patientId: ctx.patientId, lastUpdated: isoInstant(encounter.end), resource: condition });
  }
  return out;
}
