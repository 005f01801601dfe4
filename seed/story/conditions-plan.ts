// Which chronic conditions a patient lives with and when each began. Prevalences are rounded
// from the Canadian Chronic Disease Surveillance System (PHAC) and Canadian Community Health
// Survey figures by age and sex, raised by the usual risk factors (obesity, smoking, diabetes).
import type { ChronicKey } from '../codes/conditions.js';
import type { Rng } from '../rng.js';
import { DAY_MS, YEAR_MS, ageInYears } from '../time.js';
import type { ChronicEpisode } from './story-types.js';
import type { Demographics } from './demographics.js';

interface Risk {
  age: number;
  female: boolean;
  obese: boolean;
  smoker: boolean;
  has: (key: ChronicKey) => boolean;
}

interface ConditionModel {
  fromAge: number;
  /** Latest age at which it usually starts (asthma starts young). */
  untilAge?: number;
  /** Chance of having it by `age` (the age at the end of care). */
  prevalence: (r: Risk) => number;
  /** Conditions that must start first, when the model depends on them. */
  after?: ChronicKey[];
}

const band = (age: number, table: [number, number][]) => {
  let p = 0;
  for (const [from, value] of table) if (age >= from) p = value;
  return p;
};

/** In order: a model may depend only on conditions listed before it. */
const MODELS: [ChronicKey, ConditionModel][] = [
  ['obesity', { fromAge: 18, prevalence: (r) => (r.obese ? 0.7 : 0) }],
  [
    'hypertension',
    { fromAge: 25, prevalence: (r) => band(r.age, [[18, 0.04], [40, 0.2], [60, 0.45], [75, 0.6]]) * (r.obese ? 1.3 : 1) },
  ],
  [
    'diabetes2',
    {
      fromAge: 25,
      prevalence: (r) => band(r.age, [[25, 0.02], [40, 0.09], [60, 0.18], [75, 0.22]]) * (r.obese ? 2.2 : 1) * (r.female ? 0.85 : 1.15),
    },
  ],
  ['hyperlipidemia', { fromAge: 30, prevalence: (r) => band(r.age, [[30, 0.05], [40, 0.18], [60, 0.32]]) * (r.has('diabetes2') ? 1.5 : 1) }],
  ['asthma', { fromAge: 3, untilAge: 35, prevalence: (r) => (r.age < 18 ? 0.11 : 0.08) }],
  [
    'copd',
    { fromAge: 40, prevalence: (r) => (r.age < 40 ? 0 : r.smoker ? 0.16 : 0.025) * (r.age >= 65 ? 1.5 : 1) },
  ],
  ['depression', { fromAge: 14, prevalence: (r) => (r.age < 14 ? 0 : r.female ? 0.11 : 0.07) }],
  ['anxiety', { fromAge: 12, prevalence: (r) => (r.age < 12 ? 0 : r.female ? 0.1 : 0.06) }],
  [
    'hypothyroidism',
    { fromAge: 20, prevalence: (r) => (r.age < 20 ? 0 : r.female ? (r.age >= 60 ? 0.12 : 0.07) : r.age >= 60 ? 0.03 : 0.015) },
  ],
  [
    'osteoarthritis',
    { fromAge: 45, prevalence: (r) => band(r.age, [[45, 0.07], [60, 0.17], [75, 0.25]]) * (r.female ? 1.3 : 1) * (r.obese ? 1.5 : 1) },
  ],
  ['atrialFibrillation', { fromAge: 60, prevalence: (r) => band(r.age, [[65, 0.04], [75, 0.1]]) * (r.female ? 0.8 : 1.3) }],
  [
    'coronaryDisease',
    {
      fromAge: 45,
      prevalence: (r) =>
        band(r.age, [[50, 0.04], [65, 0.1]]) * (r.female ? 0.6 : 1.6) * (r.has('diabetes2') || r.smoker ? 1.5 : 1),
    },
  ],
  [
    'ckd3',
    {
      fromAge: 55,
      after: ['diabetes2', 'hypertension'],
      prevalence: (r) => (r.age < 60 ? 0 : 0.05) * (r.has('diabetes2') || r.has('hypertension') ? 2 : 1),
    },
  ],
  ['migraine', { fromAge: 12, untilAge: 50, prevalence: (r) => (r.age < 12 ? 0 : r.female ? 0.1 : 0.04) }],
  ['allergicRhinitis', { fromAge: 5, untilAge: 40, prevalence: (r) => (r.age < 5 ? 0 : 0.12) }],
  ['bph', { fromAge: 50, prevalence: (r) => (r.female ? 0 : band(r.age, [[50, 0.15], [65, 0.3]])) }],
];

export function planConditions(rng: Rng, demo: Demographics): ChronicEpisode[] {
  const age = ageInYears(demo.birthMs, demo.endMs);
  const episodes: ChronicEpisode[] = [];
  const risk: Risk = {
    age,
    female: demo.sex === 'female',
    obese: demo.bmi >= 30,
    smoker: demo.smoking !== 'never',
    has: (key) => episodes.some((e) => e.key === key),
  };
  for (const [key, model] of MODELS) {
    const roll = rng.next();
    if (age < model.fromAge || roll >= Math.min(0.95, model.prevalence(risk))) continue;
    const lastAge = Math.min(age, model.untilAge ?? age);
    let fromMs = demo.birthMs + model.fromAge * YEAR_MS;
    for (const dep of model.after ?? []) {
      const before = episodes.find((e) => e.key === dep);
      if (before) fromMs = Math.max(fromMs, before.onsetMs + YEAR_MS);
    }
    const toMs = Math.min(demo.birthMs + (lastAge + 1) * YEAR_MS, demo.endMs - 30 * DAY_MS);
    if (toMs <= fromMs) continue;
    const onsetMs = Math.floor((fromMs + rng.next() * (toMs - fromMs)) / DAY_MS) * DAY_MS;
    episodes.push({ id: rng.uuid(), key, onsetMs });
  }
  return episodes;
}
