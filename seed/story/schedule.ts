// When the patient was seen and why: an intake visit when they joined the roster, well-baby
// visits on the Rourke schedule, periodic health reviews, a visit when each new chronic problem
// is found, follow-ups at the cadence each problem needs, same-day visits for acute illness and
// fall flu shots. Visits fall on clinic hours, one a day at most, never after care ended.
import type { AcuteKey, ChronicKey } from '../codes/conditions.js';
import type { VisitKind } from '../codes/care.js';
import type { Rng } from '../rng.js';
import { DAY_MS, MINUTE_MS, YEAR_MS, ageInYears } from '../time.js';
import type { Staff } from '../directory.js';
import { dayFloor } from './demographics.js';
import type { ChronicEpisode, PatientStory, StoryInput, Visit } from './story-types.js';

interface Planned {
  dayMs: number;
  kind: VisitKind;
  acute?: AcuteKey;
  diagnoses: ChronicEpisode[];
  /** Nominal age in months of a well-baby visit (drives the vaccine schedule). */
  wellChildMonth?: number;
  flu?: boolean;
}

const WELL_CHILD_MONTHS = [0.25, 2, 4, 6, 9, 12, 15, 18, 24, 36, 48, 60];

/** Months between follow-ups for a problem; absent = reviewed at periodic visits only. */
const FOLLOW_UP_MONTHS: Partial<Record<ChronicKey, number>> = {
  diabetes2: 4,
  hypertension: 6,
  ckd3: 6,
  atrialFibrillation: 6,
  copd: 6,
  coronaryDisease: 6,
  depression: 3,
  anxiety: 4,
  hypothyroidism: 12,
  asthma: 12,
};

const ACUTE_BY_AGE: { maxAge: number; weights: Partial<Record<AcuteKey, number>> }[] = [
  { maxAge: 5, weights: { uri: 35, otitisMedia: 30, conjunctivitis: 12, bronchitis: 8, pharyngitis: 10, strepThroat: 5 } },
  {
    maxAge: 17,
    weights: { uri: 30, strepThroat: 15, pharyngitis: 15, otitisMedia: 8, conjunctivitis: 8, ankleSprain: 12, sinusitis: 7, bronchitis: 5 },
  },
  {
    maxAge: 200,
    weights: { uri: 25, sinusitis: 15, pharyngitis: 10, strepThroat: 5, bronchitis: 12, lowBackPain: 18, ankleSprain: 8, conjunctivitis: 7 },
  },
];

/** Phone and video visits became common in Ontario primary care in March 2020. */
const VIRTUAL_CARE_FROM = Date.UTC(2020, 2, 16);

export function planVisits({ rng, clinic, physician }: StoryInput, story: PatientStory): void {
  const firstDay = dayFloor(story.rosterStartMs);
  // Clinic hours end by 22:00 UTC, so a visit on the day before the end is over before it.
  const lastDay = dayFloor(story.endMs) - DAY_MS;
  const ageAt = (ms: number) => ageInYears(story.birthMs, ms);
  const planned: Planned[] = [];
  const taken = new Set<number>();
  const add = (dayMs: number, kind: VisitKind, extra: Partial<Planned> = {}): Planned | null => {
    let day = dayFloor(Math.max(dayMs, firstDay));
    while (taken.has(day)) day += DAY_MS;
    if (day > lastDay) return null;
    taken.add(day);
    const visit: Planned = { dayMs: day, kind, diagnoses: [], ...extra };
    planned.push(visit);
    return visit;
  };
  if (lastDay < firstDay) {
    story.chronic = [];
    return;
  }

  const newborn = story.rosterStartMs === story.birthMs;
  if (!newborn) add(firstDay + rng.int(0, 14) * DAY_MS, 'intake');
  for (const month of WELL_CHILD_MONTHS) {
    const day = story.birthMs + Math.round(month * 30.44) * DAY_MS + rng.int(-2, 6) * DAY_MS;
    if (day >= firstDay && day <= lastDay) add(day, 'wellChild', { wellChildMonth: month });
  }

  // Periodic health reviews from age 6: every year or two for children and older adults,
  // every one to three years in between.
  for (let t = Math.max(firstDay, story.birthMs + 6 * YEAR_MS); ; ) {
    const age = ageAt(t);
    t += (age < 18 ? rng.float(1, 2, 3) : age < 65 ? rng.float(1, 3, 3) : rng.float(0.8, 1.3, 3)) * YEAR_MS;
    if (t > lastDay) break;
    add(t, 'periodic');
  }

  // A new chronic problem is found at a visit soon after it starts.
  for (const episode of story.chronic) {
    if (episode.onsetMs < firstDay + 14 * DAY_MS) continue;
    add(episode.onsetMs + rng.int(0, 30) * DAY_MS, 'problem')?.diagnoses.push(episode);
  }

  // Same-day visits for acute illness: a Poisson process whose rate depends on age.
  for (let t = firstDay; ; ) {
    const age = ageAt(t);
    const perYear = age < 6 ? 2.2 : age < 18 ? 1 : age < 65 ? 0.7 : 0.9;
    t += (-Math.log(1 - rng.next()) / perYear) * YEAR_MS;
    if (t > lastDay) break;
    const weights = ACUTE_BY_AGE.find((b) => ageAt(t) <= b.maxAge)!.weights as Record<AcuteKey, number>;
    add(t, 'acute', { acute: rng.weighted(weights) });
  }

  // Follow-ups at the shortest cadence any recorded problem needs; a periodic review or a
  // diagnosis visit counts as one.
  const followUpMonths = (at: number) => {
    let months = Infinity;
    for (const e of story.chronic) {
      const m = FOLLOW_UP_MONTHS[e.key];
      if (m !== undefined && e.onsetMs <= at) months = Math.min(months, m);
    }
    return months;
  };
  const reviewDays = () =>
    planned.filter((p) => p.kind === 'periodic' || p.kind === 'intake' || p.kind === 'followUp' || p.kind === 'problem').map((p) => p.dayMs);
  let known = reviewDays().sort((a, b) => a - b);
  for (let t = firstDay; t <= lastDay; ) {
    const months = followUpMonths(t);
    if (months === Infinity) {
      const nextOnset = story.chronic.filter((e) => e.onsetMs > t).map((e) => e.onsetMs);
      if (nextOnset.length === 0) break;
      t = Math.min(...nextOnset);
      continue;
    }
    const due = t + months * 30.44 * rng.float(0.8, 1.3, 3) * DAY_MS;
    const done = known.find((d) => d > t + 20 * DAY_MS && d <= due);
    if (done !== undefined) {
      t = done;
      continue;
    }
    if (due > lastDay) break;
    add(due, 'followUp');
    known = reviewDays().sort((a, b) => a - b);
    t = due;
  }

  // Flu shots each fall: most older adults, some people with chronic disease, fewer others.
  const startYear = new Date(firstDay).getUTCFullYear();
  const endYear = new Date(lastDay).getUTCFullYear();
  for (let year = startYear; year <= endYear; year++) {
    const from = Date.UTC(year, 9, 15);
    const to = Date.UTC(year, 11, 10);
    if (to < firstDay || from > lastDay || from - story.birthMs < 0.5 * YEAR_MS) continue;
    const age = ageAt(from);
    const chronic = story.chronic.some((e) => e.onsetMs < from);
    if (!rng.chance(age >= 65 ? 0.7 : chronic ? 0.45 : age < 18 ? 0.25 : 0.2)) continue;
    const existing = planned.find((p) => p.dayMs >= from && p.dayMs <= to && p.kind !== 'acute');
    if (existing) existing.flu = true;
    else add(from + rng.int(0, 50) * DAY_MS, 'vaccination', { flu: true });
  }

  planned.sort((a, b) => a.dayMs - b.dayMs);
  story.visits = planned.map((p) => toVisit(rng, p, story, clinic, physician));

  // Problems are recorded where they were found; ones older than the roster at the first visit.
  const recorded: ChronicEpisode[] = [];
  for (const episode of story.chronic) {
    const at =
      story.visits.find((v) => v.diagnoses.includes(episode)) ??
      story.visits.find((v) => v.startMs >= Math.max(episode.onsetMs, firstDay) && v.kind !== 'vaccination');
    if (!at) continue;
    if (!at.diagnoses.includes(episode)) at.diagnoses.push(episode);
    episode.recordedAt = at;
    episode.lastReviewed = at;
    recorded.push(episode);
  }
  // A problem that started after the last visit is not in the record.
  story.chronic = recorded;

  for (const visit of story.visits) {
    if (visit.kind !== 'periodic' && visit.kind !== 'followUp' && visit.kind !== 'intake') continue;
    for (const episode of story.chronic) {
      if (episode.recordedAt!.startMs < visit.startMs && (visit.kind !== 'followUp' || FOLLOW_UP_MONTHS[episode.key] !== undefined)) {
        visit.reviews.push(episode);
        episode.lastReviewed = visit;
      }
    }
  }
}

function toVisit(rng: Rng, p: Planned, story: PatientStory, clinic: StoryInput['clinic'], physician: Staff): Visit {
  const virtualShare = p.dayMs < VIRTUAL_CARE_FROM ? 0 : p.kind === 'followUp' ? 0.4 : p.kind === 'acute' ? 0.3 : 0;
  const virtual = rng.chance(virtualShare);
  const others = clinic.physicians.filter((s) => s !== physician);
  const staff =
    p.kind === 'vaccination'
      ? rng.chance(0.7)
        ? clinic.nursePractitioner
        : physician
      : rng.weighted({ own: 75, other: others.length > 0 ? 12 : 0, np: 13 }) === 'own'
        ? physician
        : others.length > 0 && rng.chance(0.5)
          ? rng.pick(others)
          : clinic.nursePractitioner;
  // 08:00 to 16:50 Eastern time, in ten-minute slots.
  const startMs = p.dayMs + 13 * 3_600_000 + rng.int(0, 53) * 10 * MINUTE_MS;
  const minutes =
    p.kind === 'vaccination'
      ? rng.int(5, 10)
      : virtual
        ? rng.int(5, 15)
        : p.kind === 'intake' || p.kind === 'periodic' || p.kind === 'wellChild'
          ? rng.int(20, 40)
          : rng.int(10, 20);
  const visit: Visit = {
    id: rng.uuid(),
    kind: p.kind,
    startMs,
    endMs: startMs + minutes * MINUTE_MS,
    staff,
    site: virtual ? null : rng.chance(0.8) ? clinic.sites[0]! : rng.pick(clinic.sites),
    reviews: [],
    diagnoses: p.diagnoses,
    acute: null,
    panels: [],
    vaccines: [],
    procedures: [],
    screenings: [],
    prescriptions: [],
    noteId: rng.uuid(),
    wellChildMonth: p.wellChildMonth ?? null,
    flu: p.flu === true,
  };
  if (p.acute) {
    const onsetMs = Math.max(story.birthMs, p.dayMs - rng.int(1, 6) * DAY_MS);
    const episode = { id: rng.uuid(), key: p.acute, onsetMs, abatementMs: p.dayMs + rng.int(5, 21) * DAY_MS, visit };
    visit.acute = episode;
    story.acute.push(episode);
  }
  return visit;
}
