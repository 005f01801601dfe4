import type { Observation } from '../../src/fhir/r4.js';
import { OBSERVATIONS, SYSTEMS } from '../codes.js';
import type { GeneratedResource, PatientContext } from '../context.js';
import { ageInYears, isoInstant } from '../context.js';

const vitalSigns = [
  { coding: [{ system: SYSTEMS.observationCategory, code: 'vital-signs', display: 'Vital Signs' }] },
];
const laboratory = [{ coding: [{ system: SYSTEMS.observationCategory, code: 'laboratory', display: 'Laboratory' }] }];

const quantity = (value: number, unit: string) => ({ value, unit, system: SYSTEMS.ucum, code: unit });

/** Vitals at every adult visit; HbA1c after a type 2 diabetes diagnosis; higher BP for hypertensives. */
export function generateObservations(ctx: PatientContext): GeneratedResource[] {
  const { faker } = ctx;
  const hypertensive = ctx.conditions.find((c) => c.key === 'hypertension');
  const diabetic = ctx.conditions.find((c) => c.key === 'diabetes2');
  const out: GeneratedResource[] = [];
  for (const enc of ctx.encounters) {
    const base = {
      status: 'final' as const,
      subject: { reference: `Patient/${ctx.patientId}` },
      encounter: { reference: `Encounter/${enc.id}` },
      effectiveDateTime: isoInstant(enc.start),
      issued: isoInstant(enc.end),
      performer: [{ reference: `Practitioner/${enc.practitionerId}` }],
    };
    const push = (o: Omit<Observation, 'resourceType' | 'id' | 'meta'>) => {
      const id = faker.string.uuid();
      const resource: Observation = { resourceType: 'Observation', id, meta: { lastUpdated: isoInstant(enc.end) }, ...o };
      out.push({ type: 'Observation', id, patientId: ctx.patientId, lastUpdated: isoInstant(enc.end), resource });
    };
    if (ageInYears(ctx.birthDate, enc.start) >= 18) {
      const high = hypertensive !== undefined && hypertensive.onset <= enc.start;
      push({
        ...base,
        category: vitalSigns,
        code: { coding: [OBSERVATIONS.bloodPressure], text: 'Blood pressure' },
        component: [
          {
            code: { coding: [OBSERVATIONS.systolic] },
            valueQuantity: quantity(faker.number.int(high ? { min: 135, max: 165 } : { min: 105, max: 132 }), 'mm[Hg]'),
          },
          {
            code: { coding: [OBSERVATIONS.diastolic] },
            valueQuantity: quantity(faker.number.int(high ? { min: 85, max: 100 } : { min: 65, max: 84 }), 'mm[Hg]'),
          },
        ],
      });
      push({
        ...base,
        category: vitalSigns,
        code: { coding: [OBSERVATIONS.bodyWeight], text: 'Body weight' },
        valueQuantity: quantity(faker.number.float({ min: 48, max: 125, fractionDigits: 1 }), 'kg'),
      });
    }
    if (diabetic !== undefined && diabetic.onset <= enc.start) {
      push({
        ...base,
        category: laboratory,
        code: { coding: [OBSERVATIONS.hba1c], text: 'HbA1c' },
        valueQuantity: quantity(faker.number.float({ min: 6.2, max: 9.5, fractionDigits: 1 }), '%'),
      });
    }
  }
  return out;
}
