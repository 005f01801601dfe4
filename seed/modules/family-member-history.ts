// Family history (FamilyMemberHistory): one record per relative with a condition of note,
// taken at the intake visit.
import type { FamilyMemberHistory } from '../../src/fhir/r4.js';
import { RELATIONSHIPS } from '../codes/care.js';
import { FAMILY_CONDITIONS } from '../codes/conditions.js';
import { ADMINISTRATIVE_GENDER } from '../codes/record-status.js';
import { emit, quantity, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate } from '../time.js';
import { signedAt } from './encounter.js';

export function generateFamilyMemberHistories(ctx: PatientContext): GeneratedResource[] {
  const family = ctx.story.family;
  if (!family) return [];
  return family.relatives.map((r) => {
    const male = r.relationship === 'father' || r.relationship === 'brother';
    return emit<FamilyMemberHistory>(ctx.population, 'FamilyMemberHistory', r.id, ctx.patientId, signedAt(family.visit), {
      status: 'completed',
      patient: ref('Patient', ctx.patientId),
      date: isoDate(family.visit.startMs),
      relationship: { coding: [RELATIONSHIPS[r.relationship]] },
      sex: { coding: [male ? ADMINISTRATIVE_GENDER.male : ADMINISTRATIVE_GENDER.female] },
      ...(r.deceased ? { deceasedBoolean: true } : {}),
      condition: r.conditions.map((c) => ({
        code: { coding: [FAMILY_CONDITIONS[c.key]] },
        onsetAge: quantity(c.onsetAge, 'a', 'years'),
      })),
    });
  });
}
