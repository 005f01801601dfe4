import type { Encounter } from '../../src/fhir/r4.js';
import { AMBULATORY, ENCOUNTER_TYPE } from '../codes.js';
import type { GeneratedResource, PatientContext } from '../context.js';
import { DAY_MS, isoInstant } from '../context.js';

const YEARS_OF_HISTORY = 10;

/** Office visits spread over the last years of care (never before birth, never after death). */
export function generateEncounters(ctx: PatientContext): GeneratedResource[] {
  const { faker } = ctx;
  const end = ctx.deathDate ?? ctx.population.referenceDate;
  const start = new Date(Math.max(ctx.birthDate.getTime() + DAY_MS, end.getTime() - YEARS_OF_HISTORY * 365 * DAY_MS));
  const count = faker.number.int({ min: 1, max: 8 });
  const starts = Array.from({ length: count }, () => faker.date.between({ from: start, to: end }).getTime()).sort(
    (a, b) => a - b,
  );
  return starts.map((t) => {
    const id = faker.string.uuid();
    const practitionerId = faker.helpers.arrayElement(ctx.clinic.practitionerIds);
    const begin = new Date(Math.floor(t / 60_000) * 60_000);
    const finish = new Date(Math.min(begin.getTime() + faker.number.int({ min: 10, max: 40 }) * 60_000, end.getTime()));
    ctx.encounters.push({ id, start: begin, end: finish, practitionerId });
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id,
      meta: { lastUpdated: isoInstant(finish) },
      status: 'finished',
      class: AMBULATORY,
      type: [{ coding: [ENCOUNTER_TYPE], text: 'Office visit' }],
      subject: { reference: `Patient/${ctx.patientId}` },
      participant: [{ individual: { reference: `Practitioner/${practitionerId}` } }],
      period: { start: isoInstant(begin), end: isoInstant(finish) },
      serviceProvider: { reference: `Organization/${ctx.clinic.organizationId}` },
    };
    return { type: 'Encounter', id, patientId: ctx.patientId, lastUpdated: isoInstant(finish), resource: encounter };
  });
}
