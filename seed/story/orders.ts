// What happened at each visit, walked in time order: tests ordered when a problem is found and
// at the intervals its guideline asks, screening by age and sex (Ontario's cervical, breast and
// colorectal programs), vaccines on the Ontario schedule, prescriptions that treat recorded
// problems (never a penicillin for a penicillin-allergic patient), and the over-the-counter
// medicines taken down at intake (allergies and family history: intake.ts).
import type { AcuteKey, ChronicKey } from '../codes/conditions.js';
import { MEDICATIONS, type MedicationKey } from '../codes/medications.js';
import type { PanelKey } from '../codes/observations.js';
import type { ProcedureKey } from '../codes/care.js';
import type { VaccineKey } from '../codes/immunizations.js';
import { DAY_MS, ageInYears } from '../time.js';
import type { ChronicEpisode, PatientStory, Prescription, StoryInput, Visit } from './story-types.js';
import { planAllergies, planFamily } from './intake.js';

interface Therapy {
  med: MedicationKey;
  p: number;
  /** Added this many days after the problem was recorded (a second-line drug). */
  afterDays?: number;
  minAge?: number;
}

const THERAPY: Partial<Record<ChronicKey, Therapy[]>> = {
  hypertension: [
    { med: 'lisinopril', p: 0.85 },
    { med: 'amlodipine', p: 0.35, afterDays: 180 },
    { med: 'hydrochlorothiazide', p: 0.15, afterDays: 540 },
  ],
  diabetes2: [
    { med: 'metformin', p: 0.9 },
    { med: 'atorvastatin', p: 0.6, minAge: 40 },
  ],
  hyperlipidemia: [{ med: 'atorvastatin', p: 0.6 }, { med: 'simvastatin', p: 0.25 }],
  asthma: [{ med: 'salbutamol', p: 1 }, { med: 'fluticasone', p: 0.5 }],
  copd: [{ med: 'salbutamol', p: 1 }, { med: 'fluticasone', p: 0.4 }],
  depression: [{ med: 'sertraline', p: 0.6 }],
  anxiety: [{ med: 'sertraline', p: 0.45 }],
  hypothyroidism: [{ med: 'levothyroxine', p: 1 }],
  osteoarthritis: [{ med: 'naproxen', p: 0.3 }],
  atrialFibrillation: [{ med: 'apixaban', p: 0.85 }],
  coronaryDisease: [{ med: 'atorvastatin', p: 0.8 }],
  bph: [{ med: 'tamsulosin', p: 0.6 }],
};

const ACUTE_THERAPY: Partial<Record<AcuteKey, { med: MedicationKey; p: number }>> = {
  strepThroat: { med: 'penicillinV', p: 0.95 },
  otitisMedia: { med: 'amoxicillin', p: 0.7 },
  sinusitis: { med: 'amoxicillinClavulanate', p: 0.35 },
  lowBackPain: { med: 'naproxen', p: 0.4 },
  ankleSprain: { med: 'ibuprofen', p: 0.3 },
  bronchitis: { med: 'salbutamol', p: 0.2 },
};

/** Over-the-counter medicines patients report taking for a problem (MedicationStatement). */
const SELF_CARE: Partial<Record<ChronicKey, { med: MedicationKey; p: number }>> = {
  osteoarthritis: { med: 'acetaminophen', p: 0.6 },
  coronaryDisease: { med: 'aspirin', p: 0.7 },
  allergicRhinitis: { med: 'cetirizine', p: 0.7 },
  migraine: { med: 'ibuprofen', p: 0.6 },
};

const PENICILLINS: readonly MedicationKey[] = ['penicillinV', 'amoxicillin', 'amoxicillinClavulanate'];
const NSAIDS: readonly MedicationKey[] = ['naproxen', 'ibuprofen', 'aspirin'];

/** Ontario routine childhood schedule, by the well-baby visit's nominal age in months. */
const CHILDHOOD_VACCINES: Record<number, VaccineKey[]> = {
  2: ['dtapIpvHib', 'pneumoConjugate', 'rotavirus'],
  4: ['dtapIpvHib', 'pneumoConjugate', 'rotavirus'],
  6: ['dtapIpvHib'],
  12: ['pneumoConjugate', 'menC', 'mmr'],
  15: ['varicella'],
  18: ['dtapIpvHib'],
  48: ['mmrv', 'dtapIpv'],
};

export function planOrders({ rng }: StoryInput, story: PatientStory): void {
  const visits = story.visits;
  if (visits.length === 0) return;
  const ageAt = (ms: number) => ageInYears(story.birthMs, ms);
  const female = story.sex === 'female';

  planAllergies(rng, story);
  planFamily(rng, story);
  const penicillinAllergic = story.allergies.some((a) => a.key === 'penicillin');
  const aspirinAllergic = story.allergies.some((a) => a.key === 'aspirin');

  const last = new Map<string, number>();
  const due = (what: string, at: number, gapDays: number) => {
    const t = last.get(what);
    return t === undefined || at - t >= gapDays * DAY_MS;
  };
  const mark = (what: string, at: number) => last.set(what, at);
  const order = (visit: Visit, panel: PanelKey) => {
    if (!visit.panels.includes(panel)) visit.panels.push(panel);
    mark(panel, visit.startMs);
  };
  const procedure = (visit: Visit, p: ProcedureKey) => {
    if (!visit.procedures.includes(p)) visit.procedures.push(p);
    mark(p, visit.startMs);
  };
  const vaccinate = (visit: Visit, v: VaccineKey) => {
    if (!visit.vaccines.includes(v)) visit.vaccines.push(v);
    mark(v, visit.startMs);
  };

  // Current prescription per medicine, and which medicines the patient takes for what.
  const current = new Map<MedicationKey, Prescription>();
  const plannedTherapy: { episode: ChronicEpisode; therapy: Therapy }[] = [];
  for (const episode of story.chronic) {
    for (const therapy of THERAPY[episode.key] ?? []) {
      if (ageAt(episode.recordedAt!.startMs) < (therapy.minAge ?? 0) || !rng.chance(therapy.p)) continue;
      plannedTherapy.push({ episode, therapy });
    }
  }
  // An anticoagulant rules out NSAIDs from the visit it is started at.
  const anticoagulatedBy = (t: number) =>
    plannedTherapy.some((p) => p.therapy.med === 'apixaban' && p.episode.recordedAt!.startMs <= t);
  const prescribe = (visit: Visit, med: MedicationKey, reasonId: string, course: Prescription['course']) => {
    const previous = current.get(med);
    const rx: Prescription = {
      id: rng.uuid(),
      med,
      reasonId,
      visit,
      course,
      status: 'active',
      lastUpdatedMs: visit.endMs,
      ...(previous ? { renews: previous } : {}),
    };
    if (previous) {
      previous.status = 'completed';
      previous.lastUpdatedMs = visit.endMs;
    }
    visit.prescriptions.push(rx);
    if (course === 'continuous') current.set(med, rx);
    return rx;
  };
  const acutePrescriptions: Prescription[] = [];
  let zosterFirstDoseAt: number | null = null;

  for (const visit of visits) {
    const t = visit.startMs;
    const age = ageAt(t);
    const inPerson = visit.site !== null;
    const reviewed = new Set<ChronicKey>([...visit.reviews, ...visit.diagnoses].map((e) => e.key));

    // Problems found here: the work-up their guideline asks for.
    for (const episode of visit.diagnoses) {
      switch (episode.key) {
        case 'diabetes2':
          order(visit, 'hba1c');
          order(visit, 'metabolic');
          order(visit, 'lipids');
          break;
        case 'hypertension':
          order(visit, 'metabolic');
          order(visit, 'lipids');
          if (inPerson) procedure(visit, 'ecg');
          break;
        case 'hyperlipidemia':
        case 'coronaryDisease':
          order(visit, 'lipids');
          if (inPerson && episode.key === 'coronaryDisease') procedure(visit, 'ecg');
          break;
        case 'hypothyroidism':
          order(visit, 'tsh');
          break;
        case 'ckd3':
          order(visit, 'metabolic');
          break;
        case 'atrialFibrillation':
          order(visit, 'cbc');
          order(visit, 'tsh');
          if (inPerson) procedure(visit, 'ecg');
          break;
        case 'asthma':
        case 'copd':
          if (inPerson && age >= 6) procedure(visit, 'spirometry');
          break;
        case 'depression':
          procedure(visit, 'depressionScreening');
          break;
        default:
          break;
      }
    }
    // Problems under review: the monitoring they need.
    if (reviewed.has('diabetes2')) {
      if (due('hba1c', t, 80)) order(visit, 'hba1c');
      if (due('metabolic', t, 330)) order(visit, 'metabolic');
      if (due('lipids', t, 330)) order(visit, 'lipids');
    }
    if (reviewed.has('hypertension') && due('metabolic', t, 330)) order(visit, 'metabolic');
    if (reviewed.has('ckd3') && due('metabolic', t, 160)) order(visit, 'metabolic');
    if ((reviewed.has('hyperlipidemia') || reviewed.has('coronaryDisease')) && due('lipids', t, 330)) order(visit, 'lipids');
    if (reviewed.has('hypothyroidism') && due('tsh', t, 330)) order(visit, 'tsh');
    if (reviewed.has('depression')) visit.screenings.push('phq9');
    if (reviewed.has('anxiety')) visit.screenings.push('gad7');

    // Periodic health review: screening by age and sex.
    if (visit.kind === 'periodic' || visit.kind === 'intake') {
      if (age >= 12) visit.screenings.push('smoking');
      if (age >= 40 && due('lipids', t, 3 * 365) && rng.chance(0.7)) order(visit, 'lipids');
      if (age >= 40 && !reviewed.has('diabetes2') && due('hba1c', t, 3 * 365) && rng.chance(0.5)) order(visit, 'hba1c');
      if (age >= 50 && due('metabolic', t, 2 * 365) && rng.chance(0.4)) order(visit, 'metabolic');
      if (age >= 18 && due('cbc', t, 2 * 365) && rng.chance(0.15)) order(visit, 'cbc');
      if (inPerson) {
        if (female && age >= 25 && age <= 69 && due('cervicalScreening', t, 3 * 365) && rng.chance(0.8)) procedure(visit, 'cervicalScreening');
        if (female && age >= 50 && age <= 74 && due('mammography', t, 2 * 365) && rng.chance(0.7)) procedure(visit, 'mammography');
        if (age >= 50 && age <= 74 && due('fecalOccultBlood', t, 2 * 365) && rng.chance(0.6)) procedure(visit, 'fecalOccultBlood');
      }
      if (age >= 65 && rng.chance(0.6)) procedure(visit, 'medicationReconciliation');
      if (age >= 18 && story.smoking === 'current' && rng.chance(0.4)) procedure(visit, 'smokingCessation');
      // Adult and adolescent vaccines given in the office.
      if (inPerson) {
        if (age >= 14 && age <= 16 && due('tdap', t, 100 * 365)) vaccinate(visit, 'tdap');
        else if (age >= 25 && due('td', t, 10 * 365) && due('tdap', t, 10 * 365) && rng.chance(0.25)) vaccinate(visit, 'td');
        if (age >= 65 && due('pneumoPolysaccharide', t, 100 * 365) && rng.chance(0.6)) vaccinate(visit, 'pneumoPolysaccharide');
        if (age >= 65 && age <= 75 && zosterFirstDoseAt === null && rng.chance(0.35)) {
          vaccinate(visit, 'zosterRecombinant');
          zosterFirstDoseAt = t;
        }
      }
    }
    // The second shingles dose, two to six months after the first.
    if (inPerson && zosterFirstDoseAt !== null && t - zosterFirstDoseAt >= 60 * DAY_MS && t - zosterFirstDoseAt <= 270 * DAY_MS && last.get('zosterRecombinant') === zosterFirstDoseAt) {
      vaccinate(visit, 'zosterRecombinant');
    }
    if (visit.wellChildMonth !== null && inPerson) {
      for (const v of CHILDHOOD_VACCINES[visit.wellChildMonth] ?? []) vaccinate(visit, v);
    }
    if (visit.flu && inPerson) vaccinate(visit, new Date(t).getUTCFullYear() >= 2024 ? 'influenzaTrivalent' : 'influenzaQuadrivalent');

    // Same-day problems.
    if (visit.acute) {
      if ((visit.acute.key === 'strepThroat' || visit.acute.key === 'pharyngitis') && inPerson) procedure(visit, 'throatCulture');
      const therapy = ACUTE_THERAPY[visit.acute.key];
      const noNsaid = anticoagulatedBy(t) || story.chronic.some((e) => e.key === 'ckd3' && e.recordedAt!.startMs <= t);
      if (
        therapy &&
        !(penicillinAllergic && PENICILLINS.includes(therapy.med)) &&
        !(noNsaid && NSAIDS.includes(therapy.med)) &&
        rng.chance(therapy.p)
      ) {
        acutePrescriptions.push(prescribe(visit, therapy.med, visit.acute.id, 'acute'));
      }
    }

    // Long-term medicines: started where planned, renewed yearly at reviews.
    for (const { episode, therapy } of plannedTherapy) {
      const startAt = episode.recordedAt!.startMs + (therapy.afterDays ?? 0) * DAY_MS;
      const rx = current.get(therapy.med);
      const blocked = NSAIDS.includes(therapy.med) && (anticoagulatedBy(t) || story.chronic.some((e) => e.key === 'ckd3'));
      if (blocked) continue;
      if (!rx) {
        const isStartVisit = therapy.afterDays === undefined ? visit === episode.recordedAt : t >= startAt && reviewed.has(episode.key);
        if (isStartVisit) prescribe(visit, therapy.med, episode.id, 'continuous');
      } else if (rx.reasonId === episode.id && rx.visit !== visit && reviewed.has(episode.key) && t - rx.visit.startMs >= 330 * DAY_MS) {
        prescribe(visit, therapy.med, episode.id, 'continuous');
      }
    }
  }

  // How each chain of prescriptions ends: stopped at death, or lapsed when not renewed.
  for (const rx of current.values()) {
    if (story.deathMs !== null) {
      rx.status = 'stopped';
      rx.lastUpdatedMs = story.deathMs + rng.int(1, 5) * DAY_MS;
    } else if (story.endMs - rx.visit.startMs > 400 * DAY_MS) {
      rx.status = 'completed';
      rx.lastUpdatedMs = rx.visit.endMs + 365 * DAY_MS;
    }
  }
  for (const rx of acutePrescriptions) {
    const finished = rx.visit.endMs + MEDICATIONS[rx.med].dispense.days * DAY_MS;
    if (finished < story.endMs) {
      rx.status = 'completed';
      rx.lastUpdatedMs = finished;
    } else if (story.deathMs !== null) {
      rx.status = 'stopped';
      rx.lastUpdatedMs = story.deathMs + DAY_MS;
    }
  }

  const everTook = new Set(visits.flatMap((v) => v.prescriptions.map((rx) => rx.med)));
  // Medicines bought over the counter and reported at the visit that recorded the problem.
  for (const episode of story.chronic) {
    const self = SELF_CARE[episode.key];
    if (!self || !rng.chance(self.p)) continue;
    if (self.med === 'aspirin' && aspirinAllergic) continue;
    // NSAIDs (ASA included) are not taken with an anticoagulant or with kidney disease.
    if (NSAIDS.includes(self.med) && (everTook.has('apixaban') || story.chronic.some((e) => e.key === 'ckd3'))) continue;
    story.medicationUses.push({
      id: rng.uuid(),
      med: self.med,
      reasonId: episode.id,
      sinceMs: Math.max(episode.onsetMs, episode.recordedAt!.startMs - rng.int(7, 120) * DAY_MS, story.birthMs),
      visit: episode.recordedAt!,
      status: story.deathMs === null ? 'active' : 'completed',
    });
  }
}
