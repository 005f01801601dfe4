// New clinical activity for POST /_mock/clock: each day, a deterministic handful of patients
// (about 2% of the panel) has an office visit with a body-weight measurement. Contents depend
// only on the dataset seed and the day's number; meta.lastUpdated is the server's current time,
// so `_since=<an earlier transactionTime>` returns exactly what was added.
import { Faker, base, en } from '@faker-js/faker';
import type { DatasetParams } from '../src/config.js';
import type { Encounter, Observation, Patient } from '../src/fhir/r4.js';
import type { Db } from '../src/store/database.js';
import { readClockState, writeClockState } from '../src/store/clock-state.js';
import { createResourceRepository, type NewResource } from '../src/store/resource-repository.js';

const DAY_MS = 86_400_000;
const VISITS_PER_PATIENT_PER_DAY = 0.02;

/** Adds `days` days of activity ending at `now`; returns the count of resources per type. */
export function addActivity(db: Db, params: DatasetParams, days: number, now: number): Record<string, number> {
  const resources = createResourceRepository(db);
  const patientAt = db.prepare("SELECT json FROM resource WHERE type = 'Patient' ORDER BY rid LIMIT 1 OFFSET ?").pluck();
  const patientCount = db.prepare("SELECT COUNT(*) FROM resource WHERE type = 'Patient'").pluck().get() as number;
  const state = readClockState(db);
  const lastUpdated = new Date(now).toISOString();
  const rows: NewResource[] = [];
  const counts: Record<string, number> = {};
  const add = (type: string, id: string, patientId: string, resource: object) => {
    rows.push({ type, id, patientId, lastUpdated, json: JSON.stringify(resource) });
    counts[type] = (counts[type] ?? 0) + 1;
  };

  for (let d = 1; d <= days && patientCount > 0; d++) {
    const dayNumber = state.days + d;
    const faker = new Faker({ locale: [en, base] });
    faker.seed([params.seed, 1_000_000 + dayNumber]);
    const dayStart = Math.floor((now - (days - d) * DAY_MS) / DAY_MS) * DAY_MS;
    const visits = Math.max(1, Math.round(patientCount * VISITS_PER_PATIENT_PER_DAY));
    for (let v = 0; v < visits; v++) {
      const patient = JSON.parse(patientAt.get(faker.number.int({ min: 0, max: patientCount - 1 })) as string) as Patient;
      if (patient.deceasedDateTime || patient.deceasedBoolean) continue;
      const start = new Date(dayStart + faker.number.int({ min: 8 * 60, max: 17 * 60 }) * 60_000);
      const end = new Date(start.getTime() + faker.number.int({ min: 10, max: 30 }) * 60_000);
      const subject = { reference: `Patient/${patient.id}` };
      const practitioner = patient.generalPractitioner?.[0];
      const encounterId = faker.string.uuid();
      const encounter: Encounter = {
        resourceType: 'Encounter',
        id: encounterId,
        meta: { lastUpdated },
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
        type: [
          {
            coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up (procedure)' }],
            text: 'Office visit',
          },
        ],
        subject,
        ...(practitioner ? { participant: [{ individual: practitioner }] } : {}),
        period: { start: start.toISOString(), end: end.toISOString() },
        ...(patient.managingOrganization ? { serviceProvider: patient.managingOrganization } : {}),
      };
      add('Encounter', encounterId, patient.id!, encounter);
      const observationId = faker.string.uuid();
      const observation: Observation = {
        resourceType: 'Observation',
        id: observationId,
        meta: { lastUpdated },
        status: 'final',
        category: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' },
            ],
          },
        ],
        code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }], text: 'Body weight' },
        subject,
        encounter: { reference: `Encounter/${encounterId}` },
        effectiveDateTime: start.toISOString(),
        valueQuantity: {
          value: faker.number.float({ min: 48, max: 125, fractionDigits: 1 }),
          unit: 'kg',
          system: 'http://unitsofmeasure.org',
          code: 'kg',
        },
      };
      add('Observation', observationId, patient.id!, observation);
    }
  }
  db.transaction(() => {
    resources.insertMany(rows);
    writeClockState(db, { ...state, days: state.days + days });
  })();
  return counts;
}
