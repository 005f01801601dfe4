// Allergies and intolerances (AllergyIntolerance), with their reactions, and the "no known drug
// allergy" entry EMRs record when the patient was asked and had none.
import type { AllergyIntolerance } from '../../src/fhir/r4.js';
import { ALLERGIES, ALLERGY_STATUS, NO_KNOWN_DRUG_ALLERGY, REACTIONS, type AllergyDef } from '../codes/allergies.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate } from '../time.js';
import { signedAt } from './encounter.js';

export function generateAllergyIntolerances(ctx: PatientContext): GeneratedResource[] {
  const { story, population, rng } = ctx;
  const out: GeneratedResource[] = story.allergies.map((a) => {
    const def: AllergyDef = ALLERGIES[a.key];
    const manifestations = def.reactions.slice(0, a.reactions).map((r) => ({ coding: [REACTIONS[r]] }));
    if (a.severe && (def.reactions as readonly string[]).includes('anaphylaxis') && !manifestations.some((m) => m.coding[0] === REACTIONS.anaphylaxis)) {
      manifestations.push({ coding: [REACTIONS.anaphylaxis] });
    }
    return emit<AllergyIntolerance>(population, 'AllergyIntolerance', a.id, ctx.patientId, signedAt(a.visit), {
      clinicalStatus: { coding: [ALLERGY_STATUS.active] },
      verificationStatus: { coding: [rng.chance(0.9) ? ALLERGY_STATUS.confirmed : ALLERGY_STATUS.unconfirmed] },
      type: def.type,
      category: [def.category],
      criticality: a.severe ? 'high' : 'low',
      code: { coding: [def.code], text: def.text },
      patient: ref('Patient', ctx.patientId),
      encounter: ref('Encounter', a.visit.id),
      onsetDateTime: isoDate(a.onsetMs),
      recordedDate: isoDate(a.visit.startMs),
      recorder: ref('Practitioner', a.visit.staff.practitionerId),
      asserter: ref('Patient', ctx.patientId),
      reaction: [{ manifestation: manifestations, severity: a.severe ? 'severe' : rng.chance(0.6) ? 'mild' : 'moderate' }],
    });
  });
  const nkda = story.noKnownDrugAllergy;
  if (nkda) {
    out.push(
      emit<AllergyIntolerance>(population, 'AllergyIntolerance', nkda.id, ctx.patientId, signedAt(nkda.visit), {
        clinicalStatus: { coding: [ALLERGY_STATUS.active] },
        verificationStatus: { coding: [ALLERGY_STATUS.confirmed] },
        category: ['medication'],
        code: { coding: [NO_KNOWN_DRUG_ALLERGY], text: 'NKDA' },
        patient: ref('Patient', ctx.patientId),
        encounter: ref('Encounter', nkda.visit.id),
        recordedDate: isoDate(nkda.visit.startMs),
        recorder: ref('Practitioner', nkda.visit.staff.practitionerId),
        asserter: ref('Patient', ctx.patientId),
      }),
    );
  }
  return out;
}
