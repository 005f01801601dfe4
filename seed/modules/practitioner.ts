// Family physicians and nurse practitioners (Practitioner), with their Ontario licence numbers:
// the College of Physicians and Surgeons of Ontario (CPSO) and College of Nurses of Ontario.
import type { Practitioner } from '../../src/fhir/r4.js';
import { PRACTICE } from '../codes/care.js';
import { IDENTIFIER_SYSTEMS } from '../codes/systems.js';
import { emit, type GeneratedResource } from '../emit.js';
import type { PopulationContext } from '../population-context.js';
import { isoDate } from '../time.js';
import type { Clinic, Staff } from '../directory.js';
import { fhirAddress } from './organization.js';

function practitioner(population: PopulationContext, clinic: Clinic, s: Staff): GeneratedResource {
  const physician = s.kind === 'physician';
  const system = physician ? IDENTIFIER_SYSTEMS.ontarioPhysicianLicence : IDENTIFIER_SYSTEMS.ontarioNurseLicence;
  return emit<Practitioner>(population, 'Practitioner', s.practitionerId, null, s.lastUpdatedMs, {
    identifier: [{ use: 'official', type: { coding: [PRACTICE.licence] }, system, value: s.licence }],
    active: true,
    name: [{ use: 'official', family: s.family, given: [s.given], ...(physician ? { prefix: ['Dr.'] } : {}) }],
    telecom: [{ system: 'phone', value: clinic.phone, use: 'work' }],
    address: [fhirAddress(clinic.sites[0]!.address)],
    gender: s.gender,
    qualification: [
      {
        identifier: [{ system, value: s.licence }],
        code: { text: physician ? 'Doctor of Medicine (CCFP)' : 'Registered Nurse in the Extended Class (NP-PHC)' },
        period: { start: isoDate(s.sinceMs) },
        issuer: { display: physician ? 'College of Physicians and Surgeons of Ontario' : 'College of Nurses of Ontario' },
      },
    ],
  });
}

export function generatePractitioners(population: PopulationContext): GeneratedResource[] {
  return population.directory.clinics.flatMap((clinic) =>
    [...clinic.physicians, clinic.nursePractitioner].map((s) => practitioner(population, clinic, s)),
  );
}
