// Procedures done or arranged at visits (Procedure): screening, ECG and spirometry for new
// problems, medication reviews, smoking cessation counselling, throat swabs.
import type { Procedure } from '../../src/fhir/r4.js';
import { PROCEDURES, type ProcedureKey } from '../codes/care.js';
import type { ChronicKey } from '../codes/conditions.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { MINUTE_MS, isoInstant } from '../time.js';
import type { Visit } from '../story/story-types.js';
import { signedAt } from './encounter.js';

/** The problem a procedure was done for, when it was done for one. */
const FOR_PROBLEM: Partial<Record<ProcedureKey, readonly ChronicKey[]>> = {
  ecg: ['atrialFibrillation', 'coronaryDisease', 'hypertension'],
  spirometry: ['copd', 'asthma'],
  depressionScreening: ['depression'],
};

function reasonFor(key: ProcedureKey, visit: Visit): string | undefined {
  if (key === 'throatCulture') return visit.acute?.id;
  const problems = FOR_PROBLEM[key];
  if (!problems) return undefined;
  for (const p of problems) {
    const episode = visit.diagnoses.find((e) => e.key === p);
    if (episode) return episode.id;
  }
  return undefined;
}

export function generateProcedures(ctx: PatientContext): GeneratedResource[] {
  const { story, rng, population } = ctx;
  const out: GeneratedResource[] = [];
  for (const visit of story.visits) {
    visit.procedures.forEach((key, i) => {
      const reason = reasonFor(key, visit);
      // Mammograms are done at a screening centre; the clinic records the result it receives.
      const external = key === 'mammography';
      out.push(
        emit<Procedure>(population, 'Procedure', rng.uuid(), ctx.patientId, signedAt(visit), {
          status: 'completed',
          code: { coding: [PROCEDURES[key]], text: PROCEDURES[key].display.replace(/ \(procedure\)$/, '') },
          subject: ref('Patient', ctx.patientId),
          encounter: ref('Encounter', visit.id),
          performedDateTime: isoInstant(visit.startMs + (10 + i * 3) * MINUTE_MS),
          recorder: ref('Practitioner', visit.staff.practitionerId),
          ...(external ? {} : { performer: [{ actor: ref('Practitioner', visit.staff.practitionerId) }] }),
          ...(visit.site && !external ? { location: ref('Location', visit.site.locationId) } : {}),
          ...(reason ? { reasonReference: [ref('Condition', reason)] } : {}),
        }),
      );
    });
  }
  return out;
}
