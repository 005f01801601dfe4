// Vaccines given at the clinic (Immunization): the Ontario childhood schedule at well-baby
// visits, adolescent and adult boosters, shingles and pneumococcal vaccines for older adults,
// and seasonal flu shots.
import type { Immunization } from '../../src/fhir/r4.js';
import { ADMINISTERING_PROVIDER, VACCINES, VACCINE_ROUTES, VACCINE_SITES, type VaccineKey } from '../codes/immunizations.js';
import { emit, quantity, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { DAY_MS, MINUTE_MS, isoDate, isoInstant } from '../time.js';
import { signedAt } from './encounter.js';

const ORAL: readonly VaccineKey[] = ['rotavirus'];
const SUBCUTANEOUS: readonly VaccineKey[] = ['mmr', 'varicella', 'mmrv'];
const SEASONAL: readonly VaccineKey[] = ['influenzaQuadrivalent', 'influenzaTrivalent'];
const LOT_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

export function generateImmunizations(ctx: PatientContext): GeneratedResource[] {
  const { story, rng, population } = ctx;
  const doses = new Map<VaccineKey, number>();
  const out: GeneratedResource[] = [];
  for (const visit of story.visits) {
    visit.vaccines.forEach((key, i) => {
      const dose = (doses.get(key) ?? 0) + 1;
      doses.set(key, dose);
      const infant = visit.startMs - story.birthMs < 3 * 365 * DAY_MS;
      const givenMs = visit.startMs + (5 + i * 2) * MINUTE_MS;
      const oral = ORAL.includes(key);
      out.push(
        emit<Immunization>(population, 'Immunization', rng.uuid(), ctx.patientId, signedAt(visit), {
          status: 'completed',
          vaccineCode: { coding: [VACCINES[key]], text: VACCINES[key].display },
          patient: ref('Patient', ctx.patientId),
          encounter: ref('Encounter', visit.id),
          occurrenceDateTime: isoInstant(givenMs),
          recorded: isoInstant(visit.endMs),
          primarySource: true,
          ...(visit.site ? { location: ref('Location', visit.site.locationId) } : {}),
          lotNumber: `${rng.pick([...LOT_LETTERS])}${rng.pick([...LOT_LETTERS])}${rng.int(1000, 9999)}`,
          expirationDate: isoDate(givenMs + rng.int(120, 540) * DAY_MS),
          ...(oral
            ? {}
            : {
                site: {
                  coding: [
                    infant
                      ? i % 2 === 0
                        ? VACCINE_SITES.leftThigh
                        : VACCINE_SITES.rightThigh
                      : i % 2 === 0
                        ? VACCINE_SITES.leftArm
                        : VACCINE_SITES.rightArm,
                  ],
                },
              }),
          route: { coding: [oral ? VACCINE_ROUTES.oral : SUBCUTANEOUS.includes(key) ? VACCINE_ROUTES.subcutaneous : VACCINE_ROUTES.intramuscular] },
          doseQuantity: quantity(oral ? 1.5 : 0.5, 'mL'),
          performer: [{ function: { coding: [ADMINISTERING_PROVIDER] }, actor: ref('Practitioner', visit.staff.practitionerId) }],
          protocolApplied: [
            SEASONAL.includes(key)
              ? { series: `${new Date(givenMs).getUTCFullYear()}-${new Date(givenMs).getUTCFullYear() + 1} season`, doseNumberPositiveInt: 1 }
              : { doseNumberPositiveInt: dose },
          ],
        }),
      );
    });
  }
  return out;
}
