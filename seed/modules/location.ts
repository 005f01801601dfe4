// Clinic sites (Location), each managed by its clinic.
import type { Location } from '../../src/fhir/r4.js';
import { PRACTICE } from '../codes/care.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PopulationContext } from '../population-context.js';
import { fhirAddress } from './organization.js';

export function generateLocations(population: PopulationContext): GeneratedResource[] {
  return population.directory.clinics.flatMap((clinic) =>
    clinic.sites.map((site) =>
      emit<Location>(population, 'Location', site.locationId, null, site.lastUpdatedMs, {
        status: 'active',
        name: site.name,
        mode: 'instance',
        telecom: [{ system: 'phone', value: site.phone, use: 'work' }],
        address: fhirAddress(site.address),
        physicalType: { coding: [PRACTICE.building] },
        managingOrganization: ref('Organization', clinic.organizationId),
      }),
    ),
  );
}
