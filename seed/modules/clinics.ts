// Clinics (Organization) and their family physicians (Practitioner), shared by all patients.
import type { Faker } from '@faker-js/faker';
import type { Organization, Practitioner } from '../../src/fhir/r4.js';
import type { Clinic, GeneratedResource, PopulationContext } from '../context.js';
import { DAY_MS, isoInstant } from '../context.js';

const PATIENTS_PER_CLINIC = 1000;
const PHYSICIANS_PER_CLINIC = 4;

export function generateClinics(faker: Faker, population: Omit<PopulationContext, 'clinics'>) {
  const clinicCount = Math.min(50, Math.max(1, Math.ceil(population.params.patients / PATIENTS_PER_CLINIC)));
  const clinics: Clinic[] = [];
  const resources: GeneratedResource[] = [];
  const updated = isoInstant(new Date(population.referenceDate.getTime() - 365 * DAY_MS));
  for (let c = 0; c < clinicCount; c++) {
    const organizationId = faker.string.uuid();
    const city = faker.location.city();
    const name = `${city} Family Health Team`;
    const organization: Organization = {
      resourceType: 'Organization',
      id: organizationId,
      meta: { lastUpdated: updated },
      active: true,
      name,
      telecom: [{ system: 'phone', value: faker.phone.number({ style: 'national' }), use: 'work' }],
      address: [
        {
          use: 'work',
          line: [faker.location.streetAddress()],
          city,
          state: 'ON',
          postalCode: faker.location.zipCode('?#? #?#').toUpperCase(),
          country: 'CA',
        },
      ],
    };
    resources.push({ type: 'Organization', id: organizationId, patientId: null, lastUpdated: updated, resource: organization });
    const practitionerIds: string[] = [];
    for (let p = 0; p < PHYSICIANS_PER_CLINIC; p++) {
      const id = faker.string.uuid();
      const sex = faker.helpers.arrayElement(['male', 'female'] as const);
      const practitioner: Practitioner = {
        resourceType: 'Practitioner',
        id,
        meta: { lastUpdated: updated },
        identifier: [
          {
            system: 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-license-physician',
            value: String(faker.number.int({ min: 10000, max: 99999 })),
          },
        ],
        active: true,
        name: [{ family: faker.person.lastName(sex), given: [faker.person.firstName(sex)], prefix: ['Dr.'] }],
        gender: sex,
      };
      resources.push({ type: 'Practitioner', id, patientId: null, lastUpdated: updated, resource: practitioner });
      practitionerIds.push(id);
    }
    clinics.push({ organizationId, name, practitionerIds });
  }
  return { clinics, resources };
}
