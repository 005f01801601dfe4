// Measurements (Observation): vital signs at office visits, growth for children, smoking status,
// mood questionnaires for patients followed for depression or anxiety, and laboratory results
// for the panels ordered at each visit, in SI units with reference ranges.
import type { Observation } from '../../src/fhir/r4.js';
import {
  INTERPRETATION,
  LAB_PANELS,
  LABS,
  OBSERVATION_CATEGORIES,
  SCREENING,
  SMOKING_STATUS,
  VITALS,
  type LabKey,
  type MeasureDef,
} from '../codes/observations.js';
import type { AcuteKey } from '../codes/conditions.js';
import { emit, quantity, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, isoInstant } from '../time.js';
import { Physiology, round } from '../story/physiology.js';
import type { Visit } from '../story/story-types.js';
import { signedAt } from './encounter.js';

/** Reference intervals as Canadian community laboratories print them (rounded). */
const RANGES: Partial<Record<LabKey, [number, number] | { female: [number, number]; male: [number, number] }>> = {
  hba1c: [4.0, 6.0],
  cholesterol: [0, 5.2],
  hdl: { female: [1.3, 3.0], male: [1.0, 3.0] },
  ldl: [0, 3.5],
  triglycerides: [0, 1.7],
  fastingGlucose: [3.6, 6.1],
  sodium: [135, 145],
  potassium: [3.5, 5.0],
  creatinine: { female: [45, 90], male: [60, 110] },
  egfr: [60, 200],
  tsh: [0.32, 4.0],
  hemoglobin: { female: [115, 155], male: [130, 175] },
  leukocytes: [4.0, 11.0],
  platelets: [150, 400],
};

const RESPIRATORY: readonly AcuteKey[] = ['uri', 'sinusitis', 'pharyngitis', 'strepThroat', 'bronchitis', 'otitisMedia'];
const FEVERISH: readonly AcuteKey[] = ['uri', 'sinusitis', 'pharyngitis', 'strepThroat', 'bronchitis', 'otitisMedia'];

export function generateObservations(ctx: PatientContext): GeneratedResource[] {
  const { rng, story, population } = ctx;
  const body = new Physiology(story, rng);
  const female = story.sex === 'female';
  const out: GeneratedResource[] = [];

  const observe = (visit: Visit, atMs: number, updatedMs: number, o: Omit<Observation, 'resourceType' | 'id' | 'meta' | 'subject' | 'encounter'>) => {
    const id = rng.uuid();
    out.push(
      emit<Observation>(population, 'Observation', id, ctx.patientId, updatedMs, {
        ...o,
        subject: ref('Patient', ctx.patientId),
        encounter: ref('Encounter', visit.id),
        effectiveDateTime: isoInstant(atMs),
        ...(o.issued ? {} : { issued: isoInstant(updatedMs) }),
      }),
    );
    return id;
  };

  for (const visit of story.visits) {
    const lines: string[] = [];
    const at = visit.startMs + 5 * MINUTE_MS;
    const signed = signedAt(visit);
    const performer = [ref('Practitioner', visit.staff.practitionerId)];
    const vital = (def: MeasureDef, value: number) => {
      observe(visit, at, signed, {
        status: 'final',
        category: [{ coding: [OBSERVATION_CATEGORIES.vitalSigns] }],
        code: { coding: [def.code], text: def.text },
        performer,
        valueQuantity: quantity(value, def.ucum, def.unit ?? def.ucum),
      });
      lines.push(`${def.text} ${value} ${def.unit ?? def.ucum}`);
    };

    const age = body.ageYears(visit.startMs);
    const measures = visit.site !== null && visit.kind !== 'vaccination';
    if (measures) {
      const full = visit.kind === 'intake' || visit.kind === 'periodic' || visit.kind === 'wellChild';
      const acute = visit.acute?.key;
      if (age < 18) {
        if (full || visit.kind === 'problem') {
          const g = body.child(rng, visit.startMs);
          vital(VITALS.bodyWeight, g.weight);
          vital(VITALS.bodyHeight, g.height);
          if (age < 2) vital(VITALS.headCircumference, g.head);
          else vital(VITALS.bmi, round(g.weight / (g.height / 100) ** 2, 1));
        }
        if (acute) {
          vital(VITALS.heartRate, body.heartRate(rng, visit.startMs));
          vital(VITALS.temperature, body.temperature(rng, FEVERISH.includes(acute) && rng.chance(0.6)));
          if (RESPIRATORY.includes(acute)) vital(VITALS.respiratoryRate, body.respiratoryRate(rng, visit.startMs));
        }
      } else {
        const reviewedKeys = new Set([...visit.reviews, ...visit.diagnoses].map((e) => e.key));
        const bp = full || visit.kind === 'problem' || visit.kind === 'followUp' || (acute !== undefined && rng.chance(0.5));
        if (bp) {
          const { systolic, diastolic } = body.bloodPressure(rng, visit.startMs);
          observe(visit, at, signed, {
            status: 'final',
            category: [{ coding: [OBSERVATION_CATEGORIES.vitalSigns] }],
            code: { coding: [VITALS.bloodPressure.code], text: VITALS.bloodPressure.text },
            performer,
            component: [
              { code: { coding: [VITALS.systolic.code] }, valueQuantity: quantity(systolic, 'mm[Hg]') },
              { code: { coding: [VITALS.diastolic.code] }, valueQuantity: quantity(diastolic, 'mm[Hg]') },
            ],
          });
          lines.push(`BP ${systolic}/${diastolic} mmHg`);
          vital(VITALS.heartRate, body.heartRate(rng, visit.startMs));
        }
        const weighed =
          full ||
          (visit.kind === 'followUp' && ['diabetes2', 'obesity', 'ckd3', 'hypertension'].some((k) => reviewedKeys.has(k as never)));
        if (weighed) {
          const weight = body.adultWeight(rng, visit.startMs);
          vital(VITALS.bodyWeight, weight);
          if (visit.kind === 'intake' || (full && rng.chance(0.3))) vital(VITALS.bodyHeight, story.adultHeightCm);
          vital(VITALS.bmi, round(weight / (story.adultHeightCm / 100) ** 2, 1));
        }
        if (acute && RESPIRATORY.includes(acute)) {
          vital(VITALS.temperature, body.temperature(rng, FEVERISH.includes(acute) && rng.chance(0.4)));
          vital(VITALS.oxygenSaturation, body.oxygenSaturation(rng, visit.startMs));
          vital(VITALS.respiratoryRate, body.respiratoryRate(rng, visit.startMs));
        }
      }
    }

    for (const screening of visit.screenings) {
      if (screening === 'smoking') {
        const answer = SMOKING_STATUS[age < 18 && story.smoking === 'former' ? 'never' : story.smoking];
        observe(visit, at, signed, {
          status: 'final',
          category: [{ coding: [OBSERVATION_CATEGORIES.socialHistory] }],
          code: { coding: [SCREENING.smokingStatus], text: 'Smoking status' },
          performer,
          valueCodeableConcept: { coding: [answer] },
        });
        lines.push(`Smoking status: ${answer.display.replace(/ \(finding\)$/, '').toLowerCase()}`);
      } else {
        const phq = screening === 'phq9';
        const score = phq ? body.phq9(rng, visit.startMs) : body.gad7(rng, visit.startMs);
        observe(visit, at, signed, {
          status: 'final',
          category: [{ coding: [OBSERVATION_CATEGORIES.survey] }],
          code: { coding: [phq ? SCREENING.phq9 : SCREENING.gad7], text: phq ? 'PHQ-9 total score' : 'GAD-7 total score' },
          performer,
          valueInteger: score,
        });
        lines.push(`${phq ? 'PHQ-9' : 'GAD-7'} ${score}`);
      }
    }

    // Blood is drawn at the lab on a following weekday morning; results come back the next day.
    for (const panel of visit.panels) {
      let collectedMs = Math.floor(visit.endMs / DAY_MS) * DAY_MS + rng.int(0, 4) * DAY_MS + 12 * HOUR_MS + rng.int(0, 18) * 10 * MINUTE_MS;
      if (collectedMs <= visit.endMs || collectedMs >= story.endMs) collectedMs = visit.endMs + 10 * MINUTE_MS;
      const issuedMs = Math.max(collectedMs, Math.min(collectedMs + rng.int(6, 30) * HOUR_MS, story.endMs - MINUTE_MS));
      const values = labValues(panel, body, rng, collectedMs);
      const observationIds: string[] = [];
      const abnormal: string[] = [];
      for (const test of LAB_PANELS[panel].tests) {
        const def: MeasureDef = LABS[test];
        const value = values[test]!;
        const rangeDef = RANGES[test];
        const range = rangeDef === undefined ? undefined : Array.isArray(rangeDef) ? rangeDef : female ? rangeDef.female : rangeDef.male;
        const flag = range === undefined ? undefined : value > range[1] ? 'high' : value < range[0] ? 'low' : undefined;
        if (flag) abnormal.push(`${def.text} ${value} ${def.unit ?? def.ucum} (${flag === 'high' ? 'H' : 'L'})`);
        const unit = def.unit ?? def.ucum;
        observationIds.push(
          observe(visit, collectedMs, issuedMs, {
            status: 'final',
            category: [{ coding: [OBSERVATION_CATEGORIES.laboratory] }],
            code: { coding: [def.code], text: def.text },
            issued: isoInstant(issuedMs),
            performer: [ref('Organization', population.directory.lab.organizationId)],
            valueQuantity: quantity(value, def.ucum, unit),
            ...(flag ? { interpretation: [{ coding: [INTERPRETATION[flag]] }] } : {}),
            ...(range
              ? {
                  referenceRange: [
                    range[0] > 0
                      ? { low: quantity(range[0], def.ucum, unit), high: quantity(range[1], def.ucum, unit) }
                      : { high: quantity(range[1], def.ucum, unit) },
                  ],
                }
              : {}),
          }),
        );
      }
      ctx.labReports.push({ id: rng.uuid(), panel, visit, observationIds, collectedMs, issuedMs, abnormal });
    }
    ctx.findings.set(visit.id, lines);
  }
  return out;
}

function labValues(panel: keyof typeof LAB_PANELS, body: Physiology, rng: PatientContext['rng'], at: number): Partial<Record<LabKey, number>> {
  switch (panel) {
    case 'lipids':
      return body.lipids(rng, at);
    case 'hba1c':
      return { hba1c: body.hba1c(rng, at) };
    case 'metabolic': {
      const kidney = body.kidney(rng, at);
      return {
        fastingGlucose: body.fastingGlucose(rng, at),
        sodium: body.sodium(rng),
        potassium: body.potassium(rng, at),
        creatinine: kidney.creatinine,
        egfr: kidney.egfr,
      };
    }
    case 'tsh':
      return { tsh: body.tsh(rng, at) };
    case 'cbc':
      return { hemoglobin: body.hemoglobin(rng), leukocytes: body.leukocytes(rng), platelets: body.platelets(rng) };
  }
}
