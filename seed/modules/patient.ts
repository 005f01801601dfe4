// The patient (Patient): Ontario health card number with its version code, en_CA (or French
// Canadian) name, Ontario address and phone, and the family physician they are rostered to.
import type { Patient } from '../../src/fhir/r4.js';
import { LANGUAGES, MARITAL_STATUS, PRACTICE } from '../codes/care.js';
import { IDENTIFIER_SYSTEMS, IDENTIFIER_VERSION_EXTENSION } from '../codes/systems.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { ageInYears, isoDate, isoInstant, DAY_MS } from '../time.js';
import { phoneNumber, postalCode, streetLine } from '../places.js';

/** Ontario health numbers are 10 digits, the last a Luhn (mod 10) check digit over the first 9. */
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

const VERSION_LETTERS = 'ABCDEFGHJKLMNPRSTVWXYZ';

export function generatePatient(ctx: PatientContext): GeneratedResource {
  const { rng, story } = ctx;
  const faker = story.french ? ctx.frenchFaker : ctx.faker;
  const hcn = ontarioHealthCardNumber(String(rng.int(100_000_000, 999_999_999)));
  const versionCode = rng.pick([...VERSION_LETTERS]) + rng.pick([...VERSION_LETTERS]);
  const given = [faker.person.firstName(story.sex)];
  if (rng.chance(0.3)) given.push(faker.person.firstName(story.sex));
  const family = faker.person.lastName();
  const age = ageInYears(story.birthMs, story.endMs);
  const telecom: NonNullable<Patient['telecom']> = [{ system: 'phone', value: phoneNumber(rng, story.place), use: 'home', rank: 1 }];
  if (age >= 14 && rng.chance(0.65)) telecom.push({ system: 'phone', value: phoneNumber(rng, story.place), use: 'mobile', rank: 2 });
  if (age >= 16 && rng.chance(0.4)) {
    const local = `${given[0]}.${family}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    telecom.push({ system: 'email', value: `${local}${rng.int(1, 99)}@example.com`, use: 'home' });
  }
  const marital =
    age < 18 ? null : rng.weighted({ married: 48, single: age < 35 ? 40 : 18, divorced: age >= 35 ? 10 : 2, widowed: age >= 70 ? 18 : 1, partner: 12 });
  const language = story.french && rng.chance(0.5) ? LANGUAGES.french : LANGUAGES.english;
  const lastVisit = story.visits.at(-1);
  const lastUpdatedMs =
    story.deathMs !== null ? story.deathMs + rng.int(1, 10) * DAY_MS : (lastVisit?.endMs ?? story.rosterStartMs + 13 * 3_600_000);

  return emit<Patient>(ctx.population, 'Patient', ctx.patientId, ctx.patientId, lastUpdatedMs, {
    identifier: [
      {
        extension: [{ url: IDENTIFIER_VERSION_EXTENSION, valueString: versionCode }],
        use: 'official',
        type: { coding: [PRACTICE.healthCard], text: 'Ontario health card' },
        system: IDENTIFIER_SYSTEMS.ontarioHealthCard,
        value: hcn,
      },
    ],
    active: story.deathMs === null,
    name: [{ use: 'official', family, given }],
    telecom,
    gender: story.sex,
    birthDate: isoDate(story.birthMs),
    ...(story.deathMs !== null ? { deceasedDateTime: isoInstant(story.deathMs) } : {}),
    address: [
      {
        use: 'home',
        type: 'physical',
        line: [streetLine(rng, faker.person.lastName())],
        city: story.place.city,
        state: 'ON',
        postalCode: postalCode(rng, story.place),
        country: 'CA',
      },
    ],
    ...(marital ? { maritalStatus: { coding: [MARITAL_STATUS[marital]] } } : {}),
    communication: [{ language: { coding: [language], text: language === LANGUAGES.french ? 'French' : 'English' }, preferred: true }],
    generalPractitioner: [ref('Practitioner', ctx.physician.practitionerId)],
    managingOrganization: ref('Organization', ctx.clinic.organizationId),
  });
}
