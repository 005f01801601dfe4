// The synthetic population: shared resources first (clinics, their sites and staff, the
// laboratory), then each patient with their records. Deterministic: the same parameters give
// the same resources in the same order, byte for byte; nothing reads the clock or Math.random.
import { Faker, base, en, en_CA, fr, fr_CA, generateMersenne53Randomizer } from '@faker-js/faker';
import type { DatasetParams } from '../src/config.js';
import type { GeneratedResource } from './emit.js';
import type { PatientContext } from './patient-context.js';
import type { PopulationContext } from './population-context.js';
import { Rng } from './rng.js';
import { buildDirectory } from './directory.js';
import { generateAllergyIntolerances } from './modules/allergy-intolerance.js';
import { generateCarePlans } from './modules/care-plan.js';
import { generateConditions } from './modules/condition.js';
import { generateDiagnosticReports } from './modules/diagnostic-report.js';
import { generateDocumentReferences } from './modules/document-reference.js';
import { generateEncounters } from './modules/encounter.js';
import { generateFamilyMemberHistories } from './modules/family-member-history.js';
import { generateImmunizations } from './modules/immunization.js';
import { generateLocations } from './modules/location.js';
import { generateMedicationRequests } from './modules/medication-request.js';
import { generateMedicationStatements } from './modules/medication-statement.js';
import { generateObservations } from './modules/observation.js';
import { generateOrganizations } from './modules/organization.js';
import { generatePatient } from './modules/patient.js';
import { generatePractitionerRoles } from './modules/practitioner-role.js';
import { generatePractitioners } from './modules/practitioner.js';
import { generateProcedures } from './modules/procedure.js';
import { planStory } from './story/patient-story.js';

/** Bumped whenever the generator's output changes for the same parameters. */
export const GENERATOR_VERSION = 'primary-care-2';

/** Shared resources, made once before any patient. */
const SHARED_MODULES: ((population: PopulationContext) => GeneratedResource[])[] = [
  generateOrganizations,
  generateLocations,
  generatePractitioners,
  generatePractitionerRoles,
];

/** The modules that run for every patient, in order; each may read what earlier ones recorded. */
const PATIENT_MODULES: ((ctx: PatientContext) => GeneratedResource[])[] = [
  (ctx) => [generatePatient(ctx)],
  generateEncounters,
  generateConditions,
  generateObservations,
  generateDiagnosticReports,
  generateAllergyIntolerances,
  generateMedicationRequests,
  generateMedicationStatements,
  generateImmunizations,
  generateProcedures,
  generateFamilyMemberHistories,
  generateDocumentReferences,
  generateCarePlans,
];

/** Yields the population's resources one patient at a time, so memory stays flat at any size. */
export function* generatePopulation(params: DatasetParams): Generator<GeneratedResource> {
  const referenceMs = Date.parse(`${params.referenceDate}T00:00:00Z`);
  // One random stream, re-seeded per patient: cheaper than a Faker per patient, same result.
  const randomizer = generateMersenne53Randomizer();
  const faker = new Faker({ locale: [en_CA, en, base], randomizer });
  const frenchFaker = new Faker({ locale: [fr_CA, fr, base], randomizer });
  for (const f of [faker, frenchFaker]) f.setDefaultRefDate(new Date(referenceMs));
  const rng = new Rng(randomizer);

  randomizer.seed([params.seed, 0]);
  const population: PopulationContext = { params, referenceMs, directory: buildDirectory(params, referenceMs, rng, faker) };
  for (const generate of SHARED_MODULES) yield* generate(population);

  const clinics = population.directory.clinics;
  for (let index = 0; index < params.patients; index++) {
    randomizer.seed([params.seed, index + 1]);
    const clinic = clinics[index % clinics.length]!;
    const physician = rng.pick(clinic.physicians);
    const ctx: PatientContext = {
      rng,
      faker,
      frenchFaker,
      population,
      index,
      patientId: rng.uuid(),
      clinic,
      physician,
      story: planStory({ rng, population, clinic, physician }),
      labReports: [],
      findings: new Map(),
    };
    for (const generate of PATIENT_MODULES) yield* generate(ctx);
  }
}
