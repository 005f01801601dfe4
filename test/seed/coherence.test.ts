// The records of each patient agree with each other and with the patient's age, sex and life.
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AllergyIntolerance,
  Condition,
  DiagnosticReport,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
} from '../../src/fhir/r4.js';
import { CHRONIC_CONDITIONS } from '../../seed/codes/conditions.js';
import { LABS, VITALS } from '../../seed/codes/observations.js';
import { PROCEDURES } from '../../seed/codes/care.js';
import { ALLERGIES } from '../../seed/codes/allergies.js';
import { MEDICATIONS } from '../../seed/codes/medications.js';
import { clinicalDatesIn, generate, type Population } from './population.js';

const REFERENCE = '2026-01-01';
let population: Population;
beforeAll(() => {
  population = generate({ patients: 200, seed: 5, referenceDate: REFERENCE });
});

const of = <T>(p: Population, type: string) => (p.byType.get(type) ?? []).map((r) => r.resource as T);
const hasCode = (concept: { coding?: { code?: string }[] } | undefined, code: string) => concept?.coding?.some((c) => c.code === code) ?? false;
const patientsWith = (p: Population, code: string) =>
  new Set(of<Condition>(p, 'Condition').filter((c) => hasCode(c.code, code)).map((c) => c.subject.reference!));
const ageAt = (birthDate: string, at: string) => (Date.parse(at.slice(0, 10)) - Date.parse(birthDate)) / (365.25 * 86_400_000);

describe('clinical coherence (200 patients)', () => {
  it('gives every diabetic HbA1c results, and every hypertensive blood pressure readings', () => {
    const diabetics = patientsWith(population, CHRONIC_CONDITIONS.diabetes2.snomed.code);
    expect(diabetics.size).toBeGreaterThan(5);
    const hba1c = new Set(
      of<Observation>(population, 'Observation')
        .filter((o) => hasCode(o.code, LABS.hba1c.code.code))
        .map((o) => o.subject!.reference!),
    );
    for (const d of diabetics) expect(hba1c.has(d), `${d} has HbA1c results`).toBe(true);

    const hypertensives = patientsWith(population, CHRONIC_CONDITIONS.hypertension.snomed.code);
    expect(hypertensives.size).toBeGreaterThan(5);
    const bp = new Set(
      of<Observation>(population, 'Observation')
        .filter((o) => hasCode(o.code, VITALS.bloodPressure.code.code))
        .map((o) => o.subject!.reference!),
    );
    for (const h of hypertensives) expect(bp.has(h), `${h} has blood pressure readings`).toBe(true);
  });

  it('dates nothing before birth, at or after the reference date, or after death', () => {
    const problems: string[] = [];
    for (const patient of of<Patient>(population, 'Patient')) {
      const birth = patient.birthDate!;
      const death = patient.deceasedDateTime;
      for (const r of population.byPatient.get(patient.id!)!) {
        for (const { path, value } of clinicalDatesIn(r.resource)) {
          if (r.type === 'Patient' && path === 'deceasedDateTime') continue;
          // A date alone stands for its whole day.
          if (value.slice(0, 10) < birth) problems.push(`${r.type}.${path} ${value} before birth ${birth}`);
          if (value.slice(0, 10) >= REFERENCE) problems.push(`${r.type}.${path} ${value} not before ${REFERENCE}`);
          if (death && (value.length === 10 ? value > death.slice(0, 10) : value > death)) {
            problems.push(`${r.type}.${path} ${value} after death ${death}`);
          }
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('stamps meta.lastUpdated before the reference date, spread over years of history', () => {
    const years = new Set<string>();
    const wrong = population.all.filter(
      (r) => !(r.lastUpdated < `${REFERENCE}T00:00:00Z`) || (r.resource.meta as { lastUpdated: string }).lastUpdated !== r.lastUpdated,
    );
    for (const r of population.all) years.add(r.lastUpdated.slice(0, 4));
    expect(wrong).toEqual([]);
    expect(years.size).toBeGreaterThanOrEqual(15);
  });

  it("gives every prescription a reason that is a Condition of the same patient", () => {
    const requests = of<MedicationRequest>(population, 'MedicationRequest');
    expect(requests.length).toBeGreaterThan(100);
    for (const rx of requests) {
      expect(rx.reasonReference).toHaveLength(1);
      const reason = population.byKey.get(rx.reasonReference![0]!.reference!);
      expect(reason?.type).toBe('Condition');
      expect((reason!.resource as Condition).subject.reference).toBe(rx.subject.reference);
    }
  });

  it('keeps sex- and age-specific care to the right people', () => {
    const patients = new Map(of<Patient>(population, 'Patient').map((p) => [`Patient/${p.id}`, p]));
    for (const c of of<Condition>(population, 'Condition')) {
      const p = patients.get(c.subject.reference!)!;
      if (hasCode(c.code, CHRONIC_CONDITIONS.bph.snomed.code)) expect(p.gender).toBe('male');
      for (const adult of [CHRONIC_CONDITIONS.hypertension, CHRONIC_CONDITIONS.diabetes2, CHRONIC_CONDITIONS.copd]) {
        if (hasCode(c.code, adult.snomed.code)) expect(ageAt(p.birthDate!, c.onsetDateTime as string)).toBeGreaterThanOrEqual(18);
      }
    }
    for (const pr of of<Procedure>(population, 'Procedure')) {
      const p = patients.get(pr.subject.reference!)!;
      if (hasCode(pr.code, PROCEDURES.cervicalScreening.code) || hasCode(pr.code, PROCEDURES.mammography.code)) expect(p.gender).toBe('female');
    }
    for (const im of of<Immunization>(population, 'Immunization')) {
      const p = patients.get(im.patient.reference!)!;
      const age = ageAt(p.birthDate!, im.occurrenceDateTime!);
      if (hasCode(im.vaccineCode, '120')) expect(age).toBeLessThan(2);
      if (hasCode(im.vaccineCode, '187')) expect(age).toBeGreaterThanOrEqual(65);
    }
  });

  it('never prescribes a penicillin to a penicillin-allergic patient', () => {
    const allergic = new Set(
      of<AllergyIntolerance>(population, 'AllergyIntolerance')
        .filter((a) => hasCode(a.code, ALLERGIES.penicillin.code.code))
        .map((a) => a.patient.reference!),
    );
    expect(allergic.size).toBeGreaterThan(3);
    const penicillins = [MEDICATIONS.amoxicillin, MEDICATIONS.penicillinV, MEDICATIONS.amoxicillinClavulanate].map((m) => m.rxnorm.code);
    for (const rx of of<MedicationRequest>(population, 'MedicationRequest')) {
      if (allergic.has(rx.subject.reference!)) {
        expect(penicillins.some((code) => hasCode(rx.medicationCodeableConcept, code))).toBe(false);
      }
    }
  });

  it('prescribes no NSAID to a patient on an anticoagulant or with chronic kidney disease', () => {
    const nsaids = [MEDICATIONS.naproxen, MEDICATIONS.ibuprofen, MEDICATIONS.aspirin].map((m) => m.rxnorm.code);
    const ckd = new Map(
      of<Condition>(population, 'Condition')
        .filter((c) => hasCode(c.code, CHRONIC_CONDITIONS.ckd3.snomed.code))
        .map((c) => [c.subject.reference!, c.recordedDate!]),
    );
    const requests = of<MedicationRequest>(population, 'MedicationRequest');
    const anticoagulated = new Map<string, string>();
    for (const rx of requests) {
      if (!hasCode(rx.medicationCodeableConcept, MEDICATIONS.apixaban.rxnorm.code)) continue;
      const first = anticoagulated.get(rx.subject.reference!);
      if (!first || rx.authoredOn! < first) anticoagulated.set(rx.subject.reference!, rx.authoredOn!);
    }
    expect(ckd.size + anticoagulated.size).toBeGreaterThan(3);
    for (const rx of requests) {
      if (!nsaids.some((code) => hasCode(rx.medicationCodeableConcept, code))) continue;
      const since = [ckd.get(rx.subject.reference!), anticoagulated.get(rx.subject.reference!)].filter((d) => d !== undefined);
      for (const d of since) expect(rx.authoredOn!.slice(0, 10) < d!.slice(0, 10)).toBe(true);
    }
    for (const ms of of<MedicationStatement>(population, 'MedicationStatement')) {
      if (!nsaids.some((code) => hasCode(ms.medicationCodeableConcept, code))) continue;
      expect(ckd.has(ms.subject.reference!) || anticoagulated.has(ms.subject.reference!)).toBe(false);
    }
  });

  it('groups each report\'s results, of the same patient, and keeps lipid panels arithmetically consistent', () => {
    const observations = new Map(of<Observation>(population, 'Observation').map((o) => [`Observation/${o.id}`, o]));
    let lipidPanels = 0;
    for (const report of of<DiagnosticReport>(population, 'DiagnosticReport')) {
      const results = report.result!.map((r) => observations.get(r.reference!)!);
      for (const o of results) {
        expect(o.subject!.reference).toBe(report.subject!.reference);
        expect(o.effectiveDateTime).toBe(report.effectiveDateTime);
      }
      if (hasCode(report.code, '24331-1')) {
        lipidPanels++;
        const value = (code: string) => results.find((o) => hasCode(o.code, code))!.valueQuantity!.value!;
        const total = value(LABS.cholesterol.code.code);
        const friedewald = value(LABS.ldl.code.code) + value(LABS.hdl.code.code) + value(LABS.triglycerides.code.code) / 2.2;
        expect(Math.abs(total - friedewald)).toBeLessThan(0.011);
      }
    }
    expect(lipidPanels).toBeGreaterThan(20);
  });

  it('keeps vital signs in human ranges', () => {
    for (const o of of<Observation>(population, 'Observation')) {
      if (hasCode(o.code, '85354-9')) {
        const [sys, dia] = o.component!.map((c) => c.valueQuantity!.value!);
        expect(sys).toBeGreaterThanOrEqual(85);
        expect(sys).toBeLessThanOrEqual(200);
        expect(dia).toBeLessThan(sys!);
      }
      if (hasCode(o.code, '39156-5')) {
        expect(o.valueQuantity!.value).toBeGreaterThan(10);
        expect(o.valueQuantity!.value).toBeLessThan(55);
      }
    }
  });
});
