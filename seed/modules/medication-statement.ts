// Medicines the patient reports taking without a prescription here (MedicationStatement):
// over-the-counter products for a recorded problem, noted at the visit that recorded it.
import type { MedicationStatement } from '../../src/fhir/r4.js';
import { MEDICATION_CODES } from '../codes/record-status.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate } from '../time.js';
import { signedAt } from './encounter.js';
import { dosage, medicationConcept } from './medication-request.js';

export function generateMedicationStatements(ctx: PatientContext): GeneratedResource[] {
  const { story } = ctx;
  return story.medicationUses.map((use) => {
    const stopped = use.status === 'completed' && story.deathMs !== null;
    return emit<MedicationStatement>(ctx.population, 'MedicationStatement', use.id, ctx.patientId, stopped ? story.deathMs! : signedAt(use.visit), {
      status: use.status,
      category: { coding: [MEDICATION_CODES.patientSpecified] },
      medicationCodeableConcept: medicationConcept(use.med),
      subject: ref('Patient', ctx.patientId),
      context: ref('Encounter', use.visit.id),
      effectivePeriod: { start: isoDate(use.sinceMs), ...(stopped ? { end: isoDate(story.deathMs!) } : {}) },
      dateAsserted: isoDate(use.visit.startMs),
      informationSource: ref('Patient', ctx.patientId),
      ...(use.reasonId ? { reasonReference: [ref('Condition', use.reasonId)] } : {}),
      dosage: [dosage(use.med)],
    });
  });
}
