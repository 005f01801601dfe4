// Who works where (PractitionerRole): each practitioner's role at their clinic and its sites.
import type { PractitionerRole } from '../../src/fhir/r4.js';
import { PRACTICE } from '../codes/care.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PopulationContext } from '../population-context.js';
import { isoDate } from '../time.js';

export function generatePractitionerRoles(population: PopulationContext): GeneratedResource[] {
  return population.directory.clinics.flatMap((clinic) =>
    [...clinic.physicians, clinic.nursePractitioner].map((s) =>
      emit<PractitionerRole>(population, 'PractitionerRole', s.roleId, null, s.lastUpdatedMs, {
        active: true,
        period: { start: isoDate(s.sinceMs) },
        practitioner: ref('Practitioner', s.practitionerId),
        organization: ref('Organization', clinic.organizationId),
        code: [{ coding: [s.kind === 'physician' ? PRACTICE.doctor : PRACTICE.nurse] }],
        specialty: [{ coding: [PRACTICE.familyPractice] }],
        location: clinic.sites.map((site) => ref('Location', site.locationId)),
        telecom: [{ system: 'phone', value: clinic.phone, use: 'work' }],
        availableTime: [
          { daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'], availableStartTime: '08:00:00', availableEndTime: '17:00:00' },
        ],
      }),
    ),
  );
}
