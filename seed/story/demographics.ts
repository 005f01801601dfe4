// Who the patient is: age and sex in the proportions of Ontario's population (Statistics Canada,
// 2021 census, rounded), when they joined the clinic's roster, whether they died, and the
// lifestyle facts that drive their risks.
import type { SmokingKey } from '../codes/observations.js';
import { DAY_MS, YEAR_MS, ageInYears } from '../time.js';
import { pickPlace } from '../places.js';
import type { Sex, StoryInput } from './story-types.js';

const AGE_BANDS: Record<string, number> = {
  '0-4': 5,
  '5-14': 11,
  '15-24': 12,
  '25-34': 14,
  '35-44': 13,
  '45-54': 13,
  '55-64': 14,
  '65-74': 10,
  '75-84': 6,
  '85-99': 2,
};

export const dayFloor = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

export function planDemographics({ rng, population, clinic }: StoryInput) {
  const refMs = population.referenceMs;
  const sex: Sex = rng.chance(0.505) ? 'female' : 'male';
  const [lo, hi] = rng.weighted(AGE_BANDS).split('-').map(Number) as [number, number];
  const age = rng.int(lo, hi);
  // At least one day old on the reference date.
  const birthMs = dayFloor(refMs - (age + rng.next()) * YEAR_MS - DAY_MS);

  // Babies are usually rostered from birth; others joined some years ago.
  let rosterStartMs =
    age < 1 || (age < 6 && rng.chance(0.4)) ? birthMs : dayFloor(refMs - Math.min(age + 0.5, rng.float(0.4, 20, 3)) * YEAR_MS);
  rosterStartMs = Math.max(rosterStartMs, birthMs);

  // Death is rare and comes late in life; care ends with it.
  const deathRisk = age >= 85 ? 0.12 : age >= 75 ? 0.05 : age >= 65 ? 0.015 : 0;
  let deathMs: number | null = null;
  if (rng.chance(deathRisk)) {
    const from = Math.max(rosterStartMs + 120 * DAY_MS, refMs - 5 * YEAR_MS);
    const to = refMs - 2 * DAY_MS;
    if (from < to) deathMs = from + Math.floor(rng.next() * (to - from));
  }
  const endMs = deathMs ?? refMs;

  const adult = ageInYears(birthMs, endMs) >= 18;
  const smokingWeights: Record<SmokingKey, number> = adult
    ? { never: 60, former: age >= 40 ? 27 : 12, current: sex === 'male' ? 14 : 10 }
    : { never: 97, former: 0, current: age >= 15 ? 3 : 0 };
  const smoking = rng.weighted(smokingWeights);
  const adultHeightCm = sex === 'female' ? rng.float(152, 176, 1) : rng.float(163, 190, 1);
  // About a quarter of Canadian adults have a BMI of 30 or more.
  const bmi = rng.chance(0.26) ? rng.float(30, 41, 1) : rng.float(19.5, 29.9, 1);

  const place = rng.chance(0.9) ? clinic.place : pickPlace(rng);
  return { sex, french: rng.chance(0.08), birthMs, deathMs, endMs, rosterStartMs, place, smoking, adultHeightCm, bmi };
}

export type Demographics = ReturnType<typeof planDemographics>;
