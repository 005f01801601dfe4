// What a measurement reads for this patient at a given time: growth for children (rounded from
// the WHO growth standards' medians), and for adults values in the usual reference ranges,
// shifted by the conditions they have and brought back toward target by their treatment.
import type { ChronicKey } from '../codes/conditions.js';
import type { MedicationKey } from '../codes/medications.js';
import type { Rng } from '../rng.js';
import { DAY_MS, YEAR_MS } from '../time.js';
import type { PatientStory } from './story-types.js';

// Age in months → [weight kg, length/height cm, head circumference cm], boys; girls run ~4% lower.
const GROWTH: [number, number, number, number][] = [
  [0, 3.3, 49.9, 34.5],
  [2, 5.6, 58.4, 39.1],
  [4, 7.0, 63.9, 41.6],
  [6, 7.9, 67.6, 43.3],
  [9, 8.9, 72.0, 44.9],
  [12, 9.6, 75.7, 46.1],
  [18, 10.9, 82.3, 47.4],
  [24, 12.2, 87.8, 48.3],
  [60, 18.3, 110.0, 50.7],
  [120, 31.2, 137.8, 52.5],
  [168, 56.0, 163.0, 55.0],
  [216, 70.0, 176.0, 56.0],
];

function growthAt(months: number): [number, number, number] {
  let i = 0;
  while (i < GROWTH.length - 2 && GROWTH[i + 1]![0] <= months) i++;
  const a = GROWTH[i]!;
  const b = GROWTH[i + 1]!;
  const f = Math.min(1, Math.max(0, (months - a[0]) / (b[0] - a[0])));
  return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]), a[3] + f * (b[3] - a[3])];
}

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The facts about a patient at a time that shift their measurements. */
export class Physiology {
  private readonly onset = new Map<ChronicKey, number>();
  private readonly treated = new Map<MedicationKey, number>();
  /** A per-patient offset (in standard deviations) so one person's values hang together. */
  private readonly bias: number;

  constructor(
    private readonly story: PatientStory,
    rng: Rng,
  ) {
    for (const e of story.chronic) this.onset.set(e.key, e.onsetMs);
    for (const v of story.visits) {
      for (const rx of v.prescriptions) if (!this.treated.has(rx.med)) this.treated.set(rx.med, v.startMs);
    }
    this.bias = rng.next() - 0.5;
  }

  has(key: ChronicKey, at: number): boolean {
    const t = this.onset.get(key);
    return t !== undefined && t <= at;
  }

  /** On the medicine for at least a few weeks, long enough for it to work. */
  on(med: MedicationKey, at: number): boolean {
    const t = this.treated.get(med);
    return t !== undefined && t + 21 * DAY_MS <= at;
  }

  ageYears(at: number): number {
    return (at - this.story.birthMs) / YEAR_MS;
  }

  /** Weight, height and head circumference of a child (under 18). */
  child(rng: Rng, at: number): { weight: number; height: number; head: number } {
    const months = this.ageYears(at) * 12;
    const [w, h, hc] = growthAt(months);
    const sex = this.story.sex === 'female' ? 0.96 : 1;
    const spread = 1 + this.bias * 0.15;
    return {
      weight: round(w * sex * spread * rng.float(0.97, 1.03, 3), months < 24 ? 2 : 1),
      height: round(h * sex ** 0.5 * (1 + this.bias * 0.04) * rng.float(0.995, 1.005, 4), 1),
      head: round(hc * sex ** 0.5 * rng.float(0.98, 1.02, 3), 1),
    };
  }

  /** Adult body mass index: drifts slowly over the years. */
  bmi(at: number): number {
    const years = (at - this.story.rosterStartMs) / YEAR_MS;
    return this.story.bmi + years * 0.15 * (this.bias + 0.2);
  }

  adultWeight(rng: Rng, at: number): number {
    const h = this.story.adultHeightCm / 100;
    return round(this.bmi(at) * h * h * rng.float(0.985, 1.015, 3), 1);
  }

  bloodPressure(rng: Rng, at: number): { systolic: number; diastolic: number } {
    const age = Math.max(18, this.ageYears(at));
    let systolic = 108 + 0.45 * (age - 18) + this.bias * 10 + rng.float(-7, 7, 0);
    let diastolic = 70 + 0.15 * (age - 18) + this.bias * 6 + rng.float(-5, 5, 0);
    if (this.has('hypertension', at)) {
      const meds = ['lisinopril', 'amlodipine', 'hydrochlorothiazide'].filter((m) => this.on(m as MedicationKey, at)).length;
      systolic += 26 - meds * 9;
      diastolic += 12 - meds * 4;
    }
    return { systolic: Math.round(systolic), diastolic: Math.round(Math.min(diastolic, systolic - 25)) };
  }

  heartRate(rng: Rng, at: number): number {
    const age = this.ageYears(at);
    const base = age < 1 ? 130 : age < 6 ? 105 : age < 13 ? 88 : 72;
    return Math.round(base + this.bias * 8 + rng.float(-8, 8, 0) + (this.has('atrialFibrillation', at) ? rng.float(5, 25, 0) : 0));
  }

  respiratoryRate(rng: Rng, at: number): number {
    const age = this.ageYears(at);
    return Math.round((age < 1 ? 36 : age < 6 ? 26 : age < 13 ? 20 : 15) + rng.float(-2, 3, 0) + (this.has('copd', at) ? 3 : 0));
  }

  temperature(rng: Rng, febrile: boolean): number {
    return febrile ? rng.float(37.8, 39.3, 1) : rng.float(36.3, 37.2, 1);
  }

  oxygenSaturation(rng: Rng, at: number): number {
    return this.has('copd', at) ? rng.int(90, 95) : rng.int(96, 99);
  }

  hba1c(rng: Rng, at: number): number {
    if (this.has('diabetes2', at)) return this.on('metformin', at) ? rng.float(6.3, 8.2, 1) : rng.float(7.4, 10.2, 1);
    return this.bmi(at) >= 30 ? rng.float(5.2, 6.2, 1) : rng.float(4.8, 5.8, 1);
  }

  fastingGlucose(rng: Rng, at: number): number {
    if (this.has('diabetes2', at)) return this.on('metformin', at) ? rng.float(6.4, 9.2, 1) : rng.float(7.6, 12.5, 1);
    return rng.float(4.3, 5.9, 1);
  }

  /** Total, HDL, LDL (calculated, Friedewald in mmol/L) and triglycerides, consistent with each other. */
  lipids(rng: Rng, at: number): { cholesterol: number; hdl: number; ldl: number; triglycerides: number } {
    const statin = this.on('atorvastatin', at) || this.on('simvastatin', at);
    const high = this.has('hyperlipidemia', at);
    const ldl = statin ? rng.float(1.5, 2.8, 2) : high ? rng.float(3.8, 5.4, 2) : rng.float(1.9, 3.6, 2) + this.ageYears(at) * 0.005;
    const hdl = this.story.sex === 'female' ? rng.float(1.2, 2.1, 2) : rng.float(0.9, 1.6, 2);
    const metabolic = this.has('diabetes2', at) || this.bmi(at) >= 30;
    const triglycerides = metabolic ? rng.float(1.4, 3.2, 2) : rng.float(0.6, 1.9, 2);
    return { cholesterol: round(ldl + hdl + triglycerides / 2.2, 2), hdl, ldl: round(ldl, 2), triglycerides };
  }

  /** eGFR (mL/min/1.73m2) and the creatinine that goes with it. */
  kidney(rng: Rng, at: number): { egfr: number; creatinine: number } {
    const age = this.ageYears(at);
    const egfr = this.has('ckd3', at)
      ? rng.int(32, 58)
      : Math.max(61, Math.round(Math.min(125, 118 - 0.8 * Math.max(0, age - 30) + this.bias * 10 + rng.float(-6, 6, 0))));
    const base = this.story.sex === 'female' ? 62 : 80;
    return { egfr, creatinine: Math.round(base * (100 / egfr) ** 0.87) };
  }

  sodium(rng: Rng): number {
    return rng.int(136, 144);
  }

  potassium(rng: Rng, at: number): number {
    return this.on('hydrochlorothiazide', at) ? rng.float(3.4, 4.3, 1) : this.on('lisinopril', at) ? rng.float(4.0, 5.1, 1) : rng.float(3.7, 4.9, 1);
  }

  tsh(rng: Rng, at: number): number {
    if (this.has('hypothyroidism', at)) return this.on('levothyroxine', at) ? rng.float(0.8, 4.6, 2) : rng.float(6.2, 18, 2);
    return rng.float(0.6, 3.9, 2);
  }

  hemoglobin(rng: Rng): number {
    return this.story.sex === 'female' ? rng.int(118, 152) : rng.int(132, 170);
  }

  leukocytes(rng: Rng): number {
    return rng.float(4.0, 10.5, 1);
  }

  platelets(rng: Rng): number {
    return rng.int(160, 390);
  }

  /** PHQ-9 (0-27) and GAD-7 (0-21): high when untreated, lower on treatment. */
  phq9(rng: Rng, at: number): number {
    return this.on('sertraline', at) ? rng.int(3, 12) : rng.int(10, 21);
  }

  gad7(rng: Rng, at: number): number {
    return this.on('sertraline', at) ? rng.int(2, 10) : rng.int(8, 17);
  }
}
