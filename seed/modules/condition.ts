// Problem list and visit diagnoses (Condition), coded in SNOMED CT with ICD-10-CA beside it.
import type { Condition } from '../../src/fhir/r4.js';
import { ACUTE_CONDITIONS, CHRONIC_CONDITIONS } from '../codes/conditions.js';
import { CONDITION_CODES } from '../codes/record-status.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate } from '../time.js';
import { signedAt } from './encounter.js';

const clinical = (code: 'active' | 'resolved') => ({ coding: [CONDITION_CODES[code]] });
const CONFIRMED = { coding: [CONDITION_CODES.confirmed] };
const PROBLEM_LIST = [{ coding: [CONDITION_CODES.problemListItem] }];
const VISIT_DIAGNOSIS = [{ coding: [CONDITION_CODES.encounterDiagnosis] }];

export function generateConditions(ctx: PatientContext): GeneratedResource[] {
  const { story, population } = ctx;
  const out: GeneratedResource[] = [];
  for (const episode of story.chronic) {
    const def = CHRONIC_CONDITIONS[episode.key];
    const at = episode.recordedAt!;
    out.push(
      emit<Condition>(population, 'Condition', episode.id, ctx.patientId, signedAt(episode.lastReviewed!), {
        clinicalStatus: clinical('active'),
        verificationStatus: CONFIRMED,
        category: PROBLEM_LIST,
        code: { coding: [def.snomed, def.icd10ca], text: def.text },
        subject: ref('Patient', ctx.patientId),
        encounter: ref('Encounter', at.id),
        onsetDateTime: isoDate(episode.onsetMs),
        recordedDate: isoDate(at.startMs),
        recorder: ref('Practitioner', at.staff.practitionerId),
        asserter: ref('Practitioner', at.staff.practitionerId),
      }),
    );
  }
  for (const episode of story.acute) {
    const def = ACUTE_CONDITIONS[episode.key];
    const resolved = episode.abatementMs < story.endMs;
    out.push(
      emit<Condition>(population, 'Condition', episode.id, ctx.patientId, resolved ? episode.abatementMs : signedAt(episode.visit), {
        clinicalStatus: clinical(resolved ? 'resolved' : 'active'),
        verificationStatus: CONFIRMED,
        category: VISIT_DIAGNOSIS,
        code: { coding: [def.snomed, def.icd10ca], text: def.text },
        subject: ref('Patient', ctx.patientId),
        encounter: ref('Encounter', episode.visit.id),
        onsetDateTime: isoDate(episode.onsetMs),
        ...(resolved ? { abatementDateTime: isoDate(episode.abatementMs) } : {}),
        recordedDate: isoDate(episode.visit.startMs),
        recorder: ref('Practitioner', episode.visit.staff.practitionerId),
      }),
    );
  }
  return out;
}
