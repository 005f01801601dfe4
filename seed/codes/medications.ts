// Medications as clinical drugs (RxNorm SCD, NLM RxNav) with the WHO ATC class of the active
// ingredient (WHO Collaborating Centre, ATC/DDD index), plus the dosage a family physician writes.
// Routes are SNOMED CT qualifier values.
import { SYSTEMS, type Code } from './systems.js';

const rx = (code: string, display: string): Code => ({ system: SYSTEMS.rxnorm, code, display });
const atc = (code: string, display: string): Code => ({ system: SYSTEMS.atc, code, display });

export const ROUTES = {
  oral: { system: SYSTEMS.snomed, code: '26643006', display: 'Oral route (qualifier value)' },
  inhaled: { system: SYSTEMS.snomed, code: '447694001', display: 'Respiratory tract route (qualifier value)' },
} as const satisfies Record<string, Code>;

export interface MedicationDef {
  rxnorm: Code;
  atc: Code;
  /** How it reads on a prescription label. */
  text: string;
  dosage: string;
  route: keyof typeof ROUTES;
  /** One dose, in the unit of the dose form. */
  dose: { value: number; unit: string; code: string };
  /** Times a day (0 = as needed). */
  perDay: number;
  /** Quantity dispensed per fill (tablets, capsules or inhalers) and days it lasts. */
  dispense: { quantity: number; unit: string; code: string; days: number };
}

const tab = { unit: 'tablet', code: '{tbl}' };
const cap = { unit: 'capsule', code: '{capsule}' };
const puff = { unit: 'puff', code: '{puff}' };
const inhaler = { unit: 'inhaler', code: '{inhaler}' };

export const MEDICATIONS = {
  lisinopril: {
    rxnorm: rx('314076', 'lisinopril 10 MG Oral Tablet'),
    atc: atc('C09AA03', 'lisinopril'),
    text: 'Lisinopril 10 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  amlodipine: {
    rxnorm: rx('197361', 'amlodipine 5 MG Oral Tablet'),
    atc: atc('C08CA01', 'amlodipine'),
    text: 'Amlodipine 5 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  hydrochlorothiazide: {
    rxnorm: rx('310798', 'hydrochlorothiazide 25 MG Oral Tablet'),
    atc: atc('C03AA03', 'hydrochlorothiazide'),
    text: 'Hydrochlorothiazide 25 mg tablet',
    dosage: 'Take 1 tablet by mouth every morning',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  metformin: {
    rxnorm: rx('861007', 'metformin hydrochloride 500 MG Oral Tablet'),
    atc: atc('A10BA02', 'metformin'),
    text: 'Metformin 500 mg tablet',
    dosage: 'Take 1 tablet by mouth twice daily with meals',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 2,
    dispense: { quantity: 180, ...tab, days: 90 },
  },
  atorvastatin: {
    rxnorm: rx('617310', 'atorvastatin 20 MG Oral Tablet'),
    atc: atc('C10AA05', 'atorvastatin'),
    text: 'Atorvastatin 20 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  simvastatin: {
    rxnorm: rx('312961', 'simvastatin 20 MG Oral Tablet'),
    atc: atc('C10AA01', 'simvastatin'),
    text: 'Simvastatin 20 mg tablet',
    dosage: 'Take 1 tablet by mouth at bedtime',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  salbutamol: {
    rxnorm: rx('745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'),
    atc: atc('R03AC02', 'salbutamol'),
    text: 'Salbutamol 100 mcg inhaler',
    dosage: 'Inhale 1 to 2 puffs every 4 to 6 hours as needed for shortness of breath',
    route: 'inhaled',
    dose: { value: 2, ...puff },
    perDay: 0,
    dispense: { quantity: 1, ...inhaler, days: 90 },
  },
  fluticasone: {
    rxnorm: rx('895994', '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'),
    atc: atc('R03BA05', 'fluticasone'),
    text: 'Fluticasone 50 mcg inhaler',
    dosage: 'Inhale 2 puffs twice daily; rinse mouth after use',
    route: 'inhaled',
    dose: { value: 2, ...puff },
    perDay: 2,
    dispense: { quantity: 1, ...inhaler, days: 30 },
  },
  sertraline: {
    rxnorm: rx('312940', 'sertraline 50 MG Oral Tablet'),
    atc: atc('N06AB06', 'sertraline'),
    text: 'Sertraline 50 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 30, ...tab, days: 30 },
  },
  levothyroxine: {
    rxnorm: rx('966222', 'levothyroxine sodium 0.075 MG Oral Tablet'),
    atc: atc('H03AA01', 'levothyroxine sodium'),
    text: 'Levothyroxine 75 mcg tablet',
    dosage: 'Take 1 tablet by mouth every morning on an empty stomach',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  acetaminophen: {
    rxnorm: rx('313782', 'acetaminophen 325 MG Oral Tablet'),
    atc: atc('N02BE01', 'paracetamol'),
    text: 'Acetaminophen 325 mg tablet',
    dosage: 'Take 2 tablets by mouth every 6 hours as needed for pain; maximum 12 tablets a day',
    route: 'oral',
    dose: { value: 2, ...tab },
    perDay: 0,
    dispense: { quantity: 100, ...tab, days: 30 },
  },
  ibuprofen: {
    rxnorm: rx('310965', 'ibuprofen 200 MG Oral Tablet'),
    atc: atc('M01AE01', 'ibuprofen'),
    text: 'Ibuprofen 200 mg tablet',
    dosage: 'Take 2 tablets by mouth every 6 to 8 hours as needed with food',
    route: 'oral',
    dose: { value: 2, ...tab },
    perDay: 0,
    dispense: { quantity: 40, ...tab, days: 10 },
  },
  naproxen: {
    rxnorm: rx('849574', 'naproxen sodium 220 MG Oral Tablet'),
    atc: atc('M01AE02', 'naproxen'),
    text: 'Naproxen 220 mg tablet',
    dosage: 'Take 1 tablet by mouth every 8 to 12 hours as needed with food',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 0,
    dispense: { quantity: 30, ...tab, days: 15 },
  },
  apixaban: {
    rxnorm: rx('1364445', 'apixaban 5 MG Oral Tablet'),
    atc: atc('B01AF02', 'apixaban'),
    text: 'Apixaban 5 mg tablet',
    dosage: 'Take 1 tablet by mouth twice daily',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 2,
    dispense: { quantity: 180, ...tab, days: 90 },
  },
  aspirin: {
    rxnorm: rx('243670', 'aspirin 81 MG Oral Tablet'),
    atc: atc('B01AC06', 'acetylsalicylic acid'),
    text: 'ASA 81 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily with food',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 90, ...tab, days: 90 },
  },
  cetirizine: {
    rxnorm: rx('1014676', 'cetirizine hydrochloride 10 MG Oral Tablet'),
    atc: atc('R06AE07', 'cetirizine'),
    text: 'Cetirizine 10 mg tablet',
    dosage: 'Take 1 tablet by mouth once daily during allergy season',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 1,
    dispense: { quantity: 30, ...tab, days: 30 },
  },
  tamsulosin: {
    rxnorm: rx('863669', 'tamsulosin hydrochloride 0.4 MG Oral Capsule'),
    atc: atc('G04CA02', 'tamsulosin'),
    text: 'Tamsulosin CR 0.4 mg capsule',
    dosage: 'Take 1 capsule by mouth once daily, 30 minutes after the same meal each day',
    route: 'oral',
    dose: { value: 1, ...cap },
    perDay: 1,
    dispense: { quantity: 90, ...cap, days: 90 },
  },
  amoxicillin: {
    rxnorm: rx('308182', 'amoxicillin 250 MG Oral Capsule'),
    atc: atc('J01CA04', 'amoxicillin'),
    text: 'Amoxicillin 250 mg capsule',
    dosage: 'Take 2 capsules by mouth three times daily for 10 days',
    route: 'oral',
    dose: { value: 2, ...cap },
    perDay: 3,
    dispense: { quantity: 60, ...cap, days: 10 },
  },
  penicillinV: {
    rxnorm: rx('834061', 'penicillin V potassium 250 MG Oral Tablet'),
    atc: atc('J01CE02', 'phenoxymethylpenicillin'),
    text: 'Penicillin V 250 mg tablet',
    dosage: 'Take 1 tablet by mouth four times daily for 10 days',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 4,
    dispense: { quantity: 40, ...tab, days: 10 },
  },
  amoxicillinClavulanate: {
    rxnorm: rx('562251', 'amoxicillin 250 MG / clavulanate 125 MG Oral Tablet'),
    atc: atc('J01CR02', 'amoxicillin and beta-lactamase inhibitor'),
    text: 'Amoxicillin-clavulanate 250/125 mg tablet',
    dosage: 'Take 1 tablet by mouth three times daily with food for 7 days',
    route: 'oral',
    dose: { value: 1, ...tab },
    perDay: 3,
    dispense: { quantity: 21, ...tab, days: 7 },
  },
} as const satisfies Record<string, MedicationDef>;

export type MedicationKey = keyof typeof MEDICATIONS;
