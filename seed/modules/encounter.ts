// Visits (Encounter): in the office or by phone, with the practitioner seen, the site, and the
// problems that were the reason for the visit.
import type { Encounter } from '../../src/fhir/r4.js';
import { ENCOUNTER_CLASSES, ENCOUNTER_TYPES, PRIMARY_PERFORMER } from '../codes/care.js';
import { emit, quantity, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoInstant, MINUTE_MS } from '../time.js';
import type { Visit } from '../story/story-types.js';

/** Notes are signed a little after the visit; the encounter record closes then. */
export const signedAt = (visit: Visit) => visit.endMs + 15 * MINUTE_MS;

export function visitReasons(visit: Visit): string[] {
  if (visit.acute) return [visit.acute.id];
  return [...visit.diagnoses, ...visit.reviews].map((e) => e.id);
}

export function generateEncounters(ctx: PatientContext): GeneratedResource[] {
  return ctx.story.visits.map((visit) => {
    const virtual = visit.site === null;
    const type = [{ coding: [ENCOUNTER_TYPES[visit.kind]] }];
    if (virtual) type.push({ coding: [ENCOUNTER_TYPES.phone] });
    const period = { start: isoInstant(visit.startMs), end: isoInstant(visit.endMs) };
    const reasons = visitReasons(visit);
    return emit<Encounter>(ctx.population, 'Encounter', visit.id, ctx.patientId, signedAt(visit), {
      status: 'finished',
      class: virtual ? ENCOUNTER_CLASSES.virtual : ENCOUNTER_CLASSES.ambulatory,
      type,
      subject: ref('Patient', ctx.patientId),
      participant: [{ type: [{ coding: [PRIMARY_PERFORMER] }], period, individual: ref('Practitioner', visit.staff.practitionerId) }],
      period,
      length: quantity((visit.endMs - visit.startMs) / MINUTE_MS, 'min', 'minutes'),
      ...(reasons.length > 0 ? { reasonReference: reasons.map((id) => ref('Condition', id)) } : {}),
      ...(visit.site ? { location: [{ location: ref('Location', visit.site.locationId), status: 'completed' as const }] } : {}),
      serviceProvider: ref('Organization', ctx.clinic.organizationId),
    });
  });
}
