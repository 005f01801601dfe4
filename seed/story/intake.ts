// What is taken down at a patient's first visit: allergies (recorded at the first visit after
// their onset, or at the first visit when older) and family history.
import type { RelationshipKey } from '../codes/care.js';
import { ALLERGIES, type AllergyKey } from '../codes/allergies.js';
import type { FamilyConditionKey } from '../codes/conditions.js';
import type { Rng } from '../rng.js';
import { DAY_MS, YEAR_MS, ageInYears } from '../time.js';
import type { PatientStory, Relative } from './story-types.js';

const FAMILY_RISKS: { key: FamilyConditionKey; p: Partial<Record<RelationshipKey, number>>; ages: [number, number] }[] = [
  { key: 'myocardialInfarction', p: { father: 0.15, mother: 0.08, brother: 0.05 }, ages: [45, 78] },
  { key: 'breastCancer', p: { mother: 0.08, sister: 0.05 }, ages: [40, 75] },
  { key: 'colonCancer', p: { father: 0.05, mother: 0.04 }, ages: [50, 80] },
  { key: 'stroke', p: { father: 0.07, mother: 0.07 }, ages: [55, 85] },
  { key: 'alzheimers', p: { father: 0.05, mother: 0.07 }, ages: [65, 90] },
  { key: 'hypertension', p: { father: 0.35, mother: 0.35, brother: 0.1, sister: 0.1 }, ages: [35, 70] },
  { key: 'diabetes2', p: { father: 0.15, mother: 0.12, brother: 0.05, sister: 0.05 }, ages: [35, 70] },
];

export function planAllergies(rng: Rng, story: PatientStory): void {
  const firstVisit = story.visits.find((v) => v.kind !== 'vaccination') ?? story.visits[0]!;
  const ageEnd = ageInYears(story.birthMs, story.endMs);
  for (const key of Object.keys(ALLERGIES) as AllergyKey[]) {
    const def = ALLERGIES[key];
    if (ageEnd < def.fromAge || !rng.chance(def.prevalence)) continue;
    const onsetMs = story.birthMs + (def.fromAge + rng.next() * (ageEnd - def.fromAge)) * YEAR_MS;
    const visit = onsetMs < firstVisit.startMs ? firstVisit : story.visits.find((v) => v.startMs >= onsetMs && v.kind !== 'vaccination');
    if (!visit) continue;
    story.allergies.push({
      id: rng.uuid(),
      key,
      onsetMs: Math.floor(Math.min(onsetMs, visit.startMs - DAY_MS) / DAY_MS) * DAY_MS,
      visit,
      reactions: rng.int(1, Math.min(2, def.reactions.length)),
      severe: rng.chance(def.severe),
    });
  }
  if (!story.allergies.some((a) => ALLERGIES[a.key].category === 'medication') && rng.chance(0.5)) {
    story.noKnownDrugAllergy = { id: rng.uuid(), visit: firstVisit };
  }
}

export function planFamily(rng: Rng, story: PatientStory): void {
  const intake = story.visits.find((v) => v.kind === 'intake' || v.kind === 'wellChild') ?? story.visits[0]!;
  if (!rng.chance(0.6)) return;
  const patientAge = ageInYears(story.birthMs, intake.startMs);
  const relatives: Relative[] = [];
  const members: RelationshipKey[] = ['mother', 'father'];
  for (let i = rng.int(0, 2); i > 0; i--) members.push(rng.chance(0.5) ? 'sister' : 'brother');
  for (const relationship of members) {
    const parent = relationship === 'mother' || relationship === 'father';
    // A relative's age, roughly: parents about 28 years older, siblings close in age.
    const relativeAge = parent ? patientAge + rng.int(22, 38) : Math.max(1, patientAge + rng.int(-8, 8));
    const conditions: Relative['conditions'] = [];
    for (const risk of FAMILY_RISKS) {
      const p = risk.p[relationship] ?? 0;
      if (relativeAge < risk.ages[0] || !rng.chance(p)) continue;
      conditions.push({ key: risk.key, onsetAge: rng.int(risk.ages[0], Math.min(risk.ages[1], relativeAge)) });
    }
    if (conditions.length === 0) continue;
    relatives.push({ id: rng.uuid(), relationship, conditions, deceased: parent && relativeAge > 75 && rng.chance(0.5) });
  }
  if (relatives.length > 0) story.family = { visit: intake, relatives };
}
