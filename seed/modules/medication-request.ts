// Prescriptions (MedicationRequest): every one treats a recorded Condition of the patient.
// Long-term medicines are renewed about yearly; each renewal points to the prescription it
// replaces, which is then completed.
import type { MedicationRequest } from '../../src/fhir/r4.js';
import { MEDICATIONS, ROUTES } from '../codes/medications.js';
import { MEDICATION_CODES } from '../codes/record-status.js';
import { emit, quantity, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate, isoInstant } from '../time.js';

const COMMUNITY = [{ coding: [MEDICATION_CODES.community] }];

export function medicationConcept(key: keyof typeof MEDICATIONS) {
  const med = MEDICATIONS[key];
  return { coding: [med.rxnorm, med.atc], text: med.text };
}

export function dosage(key: keyof typeof MEDICATIONS) {
  const med = MEDICATIONS[key];
  return {
    sequence: 1,
    text: med.dosage,
    ...(med.perDay > 0
      ? { timing: { repeat: { frequency: med.perDay, period: 1, periodUnit: 'd' as const } } }
      : { asNeededBoolean: true }),
    route: { coding: [ROUTES[med.route]] },
    doseAndRate: [{ doseQuantity: quantity(med.dose.value, med.dose.code, med.dose.unit) }],
  };
}

export function generateMedicationRequests(ctx: PatientContext): GeneratedResource[] {
  const out: GeneratedResource[] = [];
  for (const visit of ctx.story.visits) {
    for (const rx of visit.prescriptions) {
      const med = MEDICATIONS[rx.med];
      out.push(
        emit<MedicationRequest>(ctx.population, 'MedicationRequest', rx.id, ctx.patientId, rx.lastUpdatedMs, {
          status: rx.status,
          intent: 'order',
          category: COMMUNITY,
          medicationCodeableConcept: medicationConcept(rx.med),
          subject: ref('Patient', ctx.patientId),
          encounter: ref('Encounter', visit.id),
          authoredOn: isoInstant(visit.startMs),
          requester: ref('Practitioner', visit.staff.practitionerId),
          reasonReference: [ref('Condition', rx.reasonId)],
          courseOfTherapyType: { coding: [MEDICATION_CODES[rx.course]] },
          dosageInstruction: [dosage(rx.med)],
          dispenseRequest: {
            validityPeriod: { start: isoDate(visit.startMs) },
            numberOfRepeatsAllowed: rx.course === 'continuous' ? 3 : 0,
            quantity: quantity(med.dispense.quantity, med.dispense.code, med.dispense.unit),
            expectedSupplyDuration: quantity(med.dispense.days, 'd', 'days'),
          },
          ...(rx.renews ? { priorPrescription: ref('MedicationRequest', rx.renews.id) } : {}),
        }),
      );
    }
  }
  return out;
}
