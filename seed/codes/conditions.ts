// Problem-list conditions: SNOMED CT (International edition) with the ICD-10-CA code a Canadian
// EMR carries beside it. ICD-10-CA codes are given at the category or subcategory level shared
// with the WHO ICD-10 base classification that ICD-10-CA extends (CIHI, ICD-10-CA tabular list).
import { SYSTEMS, type Code } from './systems.js';

const sct = (code: string, display: string): Code => ({ system: SYSTEMS.snomed, code, display });
const icd = (code: string, display: string): Code => ({ system: SYSTEMS.icd10ca, code, display });

export interface ChronicConditionDef {
  snomed: Code;
  icd10ca: Code;
  /** Plain text as a clinician types it on the problem list. */
  text: string;
}

export const CHRONIC_CONDITIONS = {
  hypertension: {
    snomed: sct('59621000', 'Essential hypertension (disorder)'),
    icd10ca: icd('I10', 'Essential (primary) hypertension'),
    text: 'Hypertension',
  },
  diabetes2: {
    snomed: sct('44054006', 'Diabetes mellitus type 2 (disorder)'),
    icd10ca: icd('E11', 'Type 2 diabetes mellitus'),
    text: 'Type 2 diabetes',
  },
  hyperlipidemia: {
    snomed: sct('55822004', 'Hyperlipidemia (disorder)'),
    icd10ca: icd('E78.5', 'Hyperlipidaemia, unspecified'),
    text: 'Dyslipidemia',
  },
  asthma: {
    snomed: sct('195967001', 'Asthma (disorder)'),
    icd10ca: icd('J45.9', 'Asthma, unspecified'),
    text: 'Asthma',
  },
  copd: {
    snomed: sct('13645005', 'Chronic obstructive lung disease (disorder)'),
    icd10ca: icd('J44.9', 'Chronic obstructive pulmonary disease, unspecified'),
    text: 'COPD',
  },
  depression: {
    snomed: sct('35489007', 'Depressive disorder (disorder)'),
    icd10ca: icd('F32.9', 'Depressive episode, unspecified'),
    text: 'Depression',
  },
  anxiety: {
    snomed: sct('21897009', 'Generalized anxiety disorder (disorder)'),
    icd10ca: icd('F41.1', 'Generalized anxiety disorder'),
    text: 'Generalized anxiety disorder',
  },
  hypothyroidism: {
    snomed: sct('40930008', 'Hypothyroidism (disorder)'),
    icd10ca: icd('E03.9', 'Hypothyroidism, unspecified'),
    text: 'Hypothyroidism',
  },
  osteoarthritis: {
    snomed: sct('239873007', 'Osteoarthritis of knee (disorder)'),
    icd10ca: icd('M17.9', 'Gonarthrosis, unspecified'),
    text: 'Osteoarthritis of knee',
  },
  atrialFibrillation: {
    snomed: sct('49436004', 'Atrial fibrillation (disorder)'),
    icd10ca: icd('I48', 'Atrial fibrillation and flutter'),
    text: 'Atrial fibrillation',
  },
  ckd3: {
    snomed: sct('433144002', 'Chronic kidney disease stage 3 (disorder)'),
    icd10ca: icd('N18.3', 'Chronic kidney disease, stage 3'),
    text: 'CKD stage 3',
  },
  coronaryDisease: {
    snomed: sct('53741008', 'Coronary arteriosclerosis (disorder)'),
    icd10ca: icd('I25.1', 'Atherosclerotic heart disease'),
    text: 'Coronary artery disease',
  },
  obesity: {
    snomed: sct('414916001', 'Obesity (disorder)'),
    icd10ca: icd('E66.9', 'Obesity, unspecified'),
    text: 'Obesity',
  },
  migraine: {
    snomed: sct('37796009', 'Migraine (disorder)'),
    icd10ca: icd('G43.9', 'Migraine, unspecified'),
    text: 'Migraine',
  },
  allergicRhinitis: {
    snomed: sct('61582004', 'Allergic rhinitis (disorder)'),
    icd10ca: icd('J30.4', 'Allergic rhinitis, unspecified'),
    text: 'Seasonal allergies',
  },
  bph: {
    snomed: sct('266569009', 'Benign prostatic hyperplasia (disorder)'),
    icd10ca: icd('N40', 'Hyperplasia of prostate'),
    text: 'BPH',
  },
} as const satisfies Record<string, ChronicConditionDef>;

export type ChronicKey = keyof typeof CHRONIC_CONDITIONS;

/** Self-limited problems seen at same-day visits; each resolves within weeks. */
export const ACUTE_CONDITIONS = {
  uri: {
    snomed: sct('54150009', 'Upper respiratory infection (disorder)'),
    icd10ca: icd('J06.9', 'Acute upper respiratory infection, unspecified'),
    text: 'Viral URTI',
  },
  sinusitis: {
    snomed: sct('444814009', 'Viral sinusitis (disorder)'),
    icd10ca: icd('J01.9', 'Acute sinusitis, unspecified'),
    text: 'Acute sinusitis',
  },
  pharyngitis: {
    snomed: sct('195662009', 'Acute viral pharyngitis (disorder)'),
    icd10ca: icd('J02.9', 'Acute pharyngitis, unspecified'),
    text: 'Pharyngitis',
  },
  strepThroat: {
    snomed: sct('43878008', 'Streptococcal sore throat (disorder)'),
    icd10ca: icd('J02.0', 'Streptococcal pharyngitis'),
    text: 'Strep throat',
  },
  bronchitis: {
    snomed: sct('10509002', 'Acute bronchitis (disorder)'),
    icd10ca: icd('J20.9', 'Acute bronchitis, unspecified'),
    text: 'Acute bronchitis',
  },
  otitisMedia: {
    snomed: sct('65363002', 'Otitis media (disorder)'),
    icd10ca: icd('H66.9', 'Otitis media, unspecified'),
    text: 'Otitis media',
  },
  conjunctivitis: {
    snomed: sct('9826008', 'Conjunctivitis (disorder)'),
    icd10ca: icd('H10.9', 'Conjunctivitis, unspecified'),
    text: 'Conjunctivitis',
  },
  ankleSprain: {
    snomed: sct('44465007', 'Sprain of ankle (disorder)'),
    icd10ca: icd('S93.4', 'Sprain and strain of ankle'),
    text: 'Ankle sprain',
  },
  lowBackPain: {
    snomed: sct('279039007', 'Low back pain (finding)'),
    icd10ca: icd('M54.5', 'Low back pain'),
    text: 'Mechanical low back pain',
  },
} as const satisfies Record<string, ChronicConditionDef>;

export type AcuteKey = keyof typeof ACUTE_CONDITIONS;

/** Conditions recorded on relatives (FamilyMemberHistory). */
export const FAMILY_CONDITIONS = {
  myocardialInfarction: sct('22298006', 'Myocardial infarction (disorder)'),
  breastCancer: sct('254837009', 'Malignant neoplasm of breast (disorder)'),
  colonCancer: sct('363406005', 'Malignant neoplasm of colon (disorder)'),
  stroke: sct('230690007', 'Cerebrovascular accident (disorder)'),
  alzheimers: sct('26929004', "Alzheimer's disease (disorder)"),
  hypertension: CHRONIC_CONDITIONS.hypertension.snomed,
  diabetes2: CHRONIC_CONDITIONS.diabetes2.snomed,
} as const satisfies Record<string, Code>;

export type FamilyConditionKey = keyof typeof FAMILY_CONDITIONS;
