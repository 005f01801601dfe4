// Clinics and the community laboratory (Organization).
import type { Organization } from '../../src/fhir/r4.js';
import { PRACTICE } from '../codes/care.js';
import { emit, type GeneratedResource } from '../emit.js';
import type { PopulationContext } from '../population-context.js';
import type { Address } from '../directory.js';

export const fhirAddress = (a: Address) => ({
  use: 'work' as const,
  line: [a.line],
  city: a.city,
  state: 'ON',
  postalCode: a.postalCode,
  country: 'CA',
});

export function generateOrganizations(population: PopulationContext): GeneratedResource[] {
  const { clinics, lab } = population.directory;
  const out = clinics.map((c) =>
    emit<Organization>(population, 'Organization', c.organizationId, null, c.lastUpdatedMs, {
      active: true,
      type: [{ coding: [PRACTICE.provider], text: 'Family practice' }],
      name: c.name,
      telecom: [
        { system: 'phone', value: c.phone, use: 'work' },
        { system: 'fax', value: c.fax, use: 'work' },
      ],
      address: [fhirAddress(c.sites[0]!.address)],
    }),
  );
  out.push(
    emit<Organization>(population, 'Organization', lab.organizationId, null, lab.lastUpdatedMs, {
      active: true,
      type: [{ coding: [PRACTICE.provider], text: 'Community laboratory' }],
      name: lab.name,
      telecom: [{ system: 'phone', value: lab.phone, use: 'work' }],
      address: [fhirAddress(lab.address)],
    }),
  );
  return out;
}
