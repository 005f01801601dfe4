// The synthetic population: shared clinics first, then each patient with their records.
// Deterministic: the same parameters give the same resources in the same order, byte for byte;
// nothing reads the clock or Math.random.
import { Faker, base, en, en_CA } from '@faker-js/faker';
import type { DatasetParams } from '../src/config.js';
import type { GeneratedResource, PatientContext, PopulationContext } from './context.js';
import { DAY_MS } from './context.js';
import { generateClinics } from './modules/clinics.js';
import { generateConditions } from './modules/condition.js';
import { generateEncounters } from './modules/encounter.js';
import { generateMedicationRequests } from './modules/medication-request.js';
import { generateObservations } from './modules/observation.js';
import { generatePatient } from './modules/patient.js';

/** Bumped whenever the generator's output changes for the same parameters. */
export const GENERATOR_VERSION = 'primary-care-1';

/** The modules that run for every patient, in order; each may read what earlier ones recorded. */
const PATIENT_MODULES: ((ctx: PatientContext) => GeneratedResource[])[] = [
  generateEncounters,
  generateConditions,
  generateObservations,
  generateMedicationRequests,
];

function newFaker(params: DatasetParams, stream: number): Faker {
  const faker = new Faker({ locale: [en_CA, en, base] });
  faker.seed([params.seed, stream]);
  faker.setDefaultRefDate(new Date(`${params.referenceDate}T00:00:00Z`));
  return faker;
}

/** Yields the population's resources one patient at a time, so memory stays flat at any size. */
export function* generatePopulation(params: DatasetParams): Generator<GeneratedResource> {
  const referenceDate = new Date(`${params.referenceDate}T00:00:00Z`);
  const shared = generateClinics(newFaker(params, 0), { params, referenceDate });
  const population: PopulationContext = { params, referenceDate, clinics: shared.clinics };
  yield* shared.resources;

  for (let index = 0; index < params.patients; index++) {
    const faker = newFaker(params, index + 1);
    const sex = faker.helpers.arrayElement(['male', 'female'] as const);
    const birthDate = faker.date.birthdate({ mode: 'age', min: 0, max: 95, refDate: referenceDate });
    const clinic = population.clinics[index % population.clinics.length]!;
    const oldAge = referenceDate.getTime() - birthDate.getTime() > 75 * 365 * DAY_MS;
    const deathDate =
      oldAge && faker.number.float({ min: 0, max: 1 }) < 0.05
        ? faker.date.between({ from: referenceDate.getTime() - 3 * 365 * DAY_MS, to: referenceDate })
        : null;
    const ctx: PatientContext = {
      faker,
      population,
      index,
      patientId: faker.string.uuid(),
      sex,
      birthDate: new Date(`${birthDate.toISOString().slice(0, 10)}T00:00:00Z`),
      deathDate,
      clinic,
      practitionerId: faker.helpers.arrayElement(clinic.practitionerIds),
      encounters: [],
      conditions: [],
    };
    const records = PATIENT_MODULES.flatMap((generate) => generate(ctx));
    yield generatePatient(ctx);
    yield* records;
  }
}
