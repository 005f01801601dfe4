import type { Patient } from '../../src/fhir/r4.js';
import type { GeneratedResource, PatientContext } from '../context.js';
import { isoDate, isoInstant } from '../context.js';

/** Ontario health card numbers are 10 digits whose last is a Luhn check digit. */
export function ontarioHealthCardNumber(nineDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nineDigits[8 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return nineDigits + String((10 - (sum % 10)) % 10);
}

export function generatePatient(ctx: PatientContext): GeneratedResource {
  const { faker } = ctx;
  const hcn = ontarioHealthCardNumber(faker.string.numeric({ length: 9, allowLeadingZeros: false }));
  const lastUpdated = isoInstant(ctx.encounters.at(-1)?.end ?? ctx.birthDate);
  const patient: Patient = {
    resourceType: 'Patient',
    id: ctx.patientId,
    meta: { lastUpdated },
    identifier: [
      {
        use: 'official',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'JHN', display: 'Jurisdictional health number (Canada)' }],
        },
        system: 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn',
        value: hcn,
        extension: [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/identifier-versionCode',
            valueString: faker.string.alpha({ length: 2, casing: 'upper' }),
          },
        ],
      },
    ],
    active: ctx.deathDate === null,
    name: [{ use: 'official', family: faker.person.lastName(ctx.sex), given: [faker.person.firstName(ctx.sex)] }],
    telecom: [{ system: 'phone', value: faker.phone.number({ style: 'national' }), use: 'home' }],
    gender: ctx.sex,
    birthDate: isoDate(ctx.birthDate),
    ...(ctx.deathDate ? { deceasedDateTime: isoInstant(ctx.deathDate) } : {}),
    address: [
      {
        use: 'home',
        line: [faker.location.streetAddress()],
        city: faker.location.city(),
        state: 'ON',
        postalCode: faker.location.zipCode('?#? #?#').toUpperCase(),
        country: 'CA',
      },
    ],
    generalPractitioner: [{ reference: `Practitioner/${ctx.practitionerId}` }],
    managingOrganization: { reference: `Organization/${ctx.clinic.organizationId}` },
  };
  return { type: 'Patient', id: ctx.patientId, patientId: ctx.patientId, lastUpdated, resource: patient };
}
