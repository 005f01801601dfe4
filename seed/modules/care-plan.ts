// Chronic disease care plans (CarePlan), started when the problem was recorded and reviewed at
// its follow-ups; a plan ends with the patient's death.
import type { CarePlan } from '../../src/fhir/r4.js';
import { CARE_PLANS } from '../codes/care.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate, isoInstant } from '../time.js';
import { signedAt } from './encounter.js';

export function generateCarePlans(ctx: PatientContext): GeneratedResource[] {
  const { story, rng } = ctx;
  const out: GeneratedResource[] = [];
  const ended = story.deathMs !== null;
  for (const episode of story.chronic) {
    const def = CARE_PLANS[episode.key];
    if (!def) continue;
    const at = episode.recordedAt!;
    const id = rng.uuid();
    episode.carePlanId = id;
    out.push(
      emit<CarePlan>(ctx.population, 'CarePlan', id, ctx.patientId, ended ? story.deathMs! : signedAt(episode.lastReviewed!), {
        status: ended ? 'revoked' : 'active',
        intent: 'plan',
        category: [{ coding: [def.category] }],
        title: def.title,
        subject: ref('Patient', ctx.patientId),
        encounter: ref('Encounter', at.id),
        period: { start: isoDate(at.startMs), ...(ended ? { end: isoDate(story.deathMs!) } : {}) },
        created: isoInstant(at.startMs),
        author: ref('Practitioner', at.staff.practitionerId),
        addresses: [ref('Condition', episode.id)],
        activity: def.activities.map((code) => ({
          detail: { code: { coding: [code] }, status: ended ? ('stopped' as const) : ('in-progress' as const) },
        })),
      }),
    );
  }
  return out;
}
