// The shared part of the population: clinics (with their sites, physicians and nurse
// practitioner) and the community laboratory that reports their patients' results. It is drawn
// first, from its own random stream, and the patient modules only refer to it.
import type { Faker } from '@faker-js/faker';
import type { DatasetParams } from '../src/config.js';
import type { Rng } from './rng.js';
import { DAY_MS, YEAR_MS } from './time.js';
import { phoneNumber, pickPlace, postalCode, streetLine, type Place } from './places.js';

export interface Address {
  line: string;
  city: string;
  postalCode: string;
}

export interface Staff {
  practitionerId: string;
  roleId: string;
  kind: 'physician' | 'nurse-practitioner';
  family: string;
  given: string;
  gender: 'male' | 'female';
  licence: string;
  /** When the practitioner joined the clinic: they see no patient before. */
  sinceMs: number;
  lastUpdatedMs: number;
}

export interface Site {
  locationId: string;
  name: string;
  address: Address;
  phone: string;
  lastUpdatedMs: number;
}

export interface Clinic {
  organizationId: string;
  name: string;
  place: Place;
  phone: string;
  fax: string;
  sites: Site[];
  physicians: Staff[];
  nursePractitioner: Staff;
  lastUpdatedMs: number;
}

export interface Directory {
  clinics: Clinic[];
  lab: { organizationId: string; name: string; address: Address; phone: string; lastUpdatedMs: number };
}

/** Roughly one clinic per 600 rostered patients, at least two so the data shows more than one. */
export function clinicCount(patients: number): number {
  return Math.min(200, Math.max(2, Math.ceil(patients / 600)));
}

export function buildDirectory(params: DatasetParams, referenceMs: number, rng: Rng, faker: Faker): Directory {
  // Shared records were last touched within the past few years, never after the reference date.
  const touched = () => referenceMs - rng.int(30, 6 * 365) * DAY_MS - rng.int(0, 86_399) * 1000;
  const address = (place: Place): Address => ({
    line: streetLine(rng, faker.person.lastName()),
    city: place.city,
    postalCode: postalCode(rng, place),
  });
  const staff = (kind: Staff['kind']): Staff => {
    const gender = rng.chance(0.5) ? 'female' : 'male';
    return {
      practitionerId: rng.uuid(),
      roleId: rng.uuid(),
      kind,
      gender,
      family: faker.person.lastName(),
      given: faker.person.firstName(gender),
      // CPSO numbers are five or six digits; College of Nurses numbers are eight.
      licence: kind === 'physician' ? String(rng.int(60_000, 129_999)) : String(rng.int(10_000_000, 19_999_999)),
      sinceMs: referenceMs - rng.int(21, 35) * YEAR_MS,
      lastUpdatedMs: touched(),
    };
  };

  const clinics: Clinic[] = [];
  for (let c = 0; c < clinicCount(params.patients); c++) {
    const place = pickPlace(rng);
    const style = rng.int(0, 2);
    const mainAddress = address(place);
    const name =
      style === 0
        ? `${place.city} Family Health Team`
        : style === 1
          ? `${mainAddress.line.replace(/^\d+ /, '')} Medical Centre`
          : `${faker.person.lastName()} Family Practice`;
    const phone = phoneNumber(rng, place);
    const sites: Site[] = [{ locationId: rng.uuid(), name: `${name} - Main site`, address: mainAddress, phone, lastUpdatedMs: touched() }];
    if (rng.chance(0.3)) {
      sites.push({
        locationId: rng.uuid(),
        name: `${name} - ${rng.pick(['North', 'South', 'East', 'West'])} site`,
        address: address(place),
        phone: phoneNumber(rng, place),
        lastUpdatedMs: touched(),
      });
    }
    clinics.push({
      organizationId: rng.uuid(),
      name,
      place,
      phone,
      fax: phoneNumber(rng, place),
      sites,
      physicians: Array.from({ length: rng.int(3, 6) }, () => staff('physician')),
      nursePractitioner: staff('nurse-practitioner'),
      lastUpdatedMs: touched(),
    });
  }
  const labPlace = clinics[0]!.place;
  return {
    clinics,
    lab: {
      organizationId: rng.uuid(),
      name: 'Community Medical Laboratories',
      address: address(labPlace),
      phone: phoneNumber(rng, labPlace),
      lastUpdatedMs: touched(),
    },
  };
}
