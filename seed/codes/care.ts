// Codes for how care is delivered: encounter types and classes, procedures, care plans, clinic
// and practitioner roles. SNOMED CT International edition; HL7 terminology for FHIR's own bindings.
import type { ChronicKey } from './conditions.js';
import { SYSTEMS, type Code } from './systems.js';

const sct = (code: string, display: string): Code => ({ system: SYSTEMS.snomed, code, display });

export const ENCOUNTER_CLASSES = {
  ambulatory: { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' },
  virtual: { system: SYSTEMS.actCode, code: 'VR', display: 'virtual' },
} as const satisfies Record<string, Code>;

export const ENCOUNTER_TYPES = {
  intake: sct('162673000', 'General examination of patient (procedure)'),
  periodic: sct('185349003', 'Encounter for check up (procedure)'),
  wellChild: sct('410620009', 'Well child visit (procedure)'),
  followUp: sct('390906007', 'Follow-up encounter (procedure)'),
  problem: sct('185347001', 'Encounter for problem (procedure)'),
  acute: sct('185345009', 'Encounter for symptom (procedure)'),
  phone: sct('185317003', 'Telephone encounter (procedure)'),
  vaccination: sct('33879002', 'Administration of vaccine to produce active immunity (procedure)'),
} as const satisfies Record<string, Code>;

export type VisitKind = keyof typeof ENCOUNTER_TYPES;

export const PRIMARY_PERFORMER = { system: SYSTEMS.participationType, code: 'PPRF', display: 'primary performer' } as const;

export const PROCEDURES = {
  cervicalScreening: sct('171149006', 'Screening for malignant neoplasm of cervix (procedure)'),
  fecalOccultBlood: sct('275978004', 'Screening for occult blood in feces (procedure)'),
  mammography: sct('71651007', 'Mammography (procedure)'),
  ecg: sct('29303009', 'Electrocardiographic procedure (procedure)'),
  spirometry: sct('127783003', 'Spirometry (procedure)'),
  depressionScreening: sct('171207006', 'Depression screening (procedure)'),
  medicationReconciliation: sct('430193006', 'Medication reconciliation (procedure)'),
  smokingCessation: sct('710081004', 'Smoking cessation therapy (procedure)'),
  throatCulture: sct('117015009', 'Throat culture (procedure)'),
} as const satisfies Record<string, Code>;

export type ProcedureKey = keyof typeof PROCEDURES;

const ACTIVITIES = {
  exerciseEducation: sct('386463000', 'Prescribed activity/exercise education (procedure)'),
  alcoholCounselling: sct('413473000', 'Counseling about alcohol consumption (procedure)'),
  smokingEducation: sct('225323000', 'Smoking cessation education (procedure)'),
  exerciseTherapy: sct('229065009', 'Exercise therapy (regime/therapy)'),
  diabeticDiet: sct('160670007', 'Diabetic diet (finding)'),
  healthyDiet: sct('226234005', 'Healthy diet (regime/therapy)'),
  respiratoryTherapy: sct('53950000', 'Respiratory therapy (procedure)'),
  cbt: sct('228557008', 'Cognitive and behavioral therapy (regime/therapy)'),
} as const satisfies Record<string, Code>;

export interface CarePlanDef {
  category: Code;
  title: string;
  activities: readonly Code[];
}

/** Chronic conditions that get a care plan, and what the plan asks for. */
export const CARE_PLANS: Partial<Record<ChronicKey, CarePlanDef>> = {
  diabetes2: {
    category: sct('698360004', 'Diabetes self management plan (record artifact)'),
    title: 'Diabetes self-management',
    activities: [ACTIVITIES.diabeticDiet, ACTIVITIES.exerciseTherapy],
  },
  hypertension: {
    category: sct('443402002', 'Lifestyle education regarding hypertension (procedure)'),
    title: 'Blood pressure: lifestyle changes',
    activities: [ACTIVITIES.exerciseEducation, ACTIVITIES.alcoholCounselling, ACTIVITIES.smokingEducation],
  },
  asthma: {
    category: sct('699728000', 'Asthma self management (record artifact)'),
    title: 'Asthma action plan',
    activities: [ACTIVITIES.smokingEducation, ACTIVITIES.exerciseEducation],
  },
  copd: {
    category: sct('412776001', 'Chronic obstructive pulmonary disease clinical management plan (record artifact)'),
    title: 'COPD management',
    activities: [ACTIVITIES.respiratoryTherapy, ACTIVITIES.smokingEducation],
  },
  depression: {
    category: sct('718347000', 'Mental health care plan (record artifact)'),
    title: 'Mood: therapy and follow-up',
    activities: [ACTIVITIES.cbt, ACTIVITIES.exerciseTherapy],
  },
  anxiety: {
    category: sct('718347000', 'Mental health care plan (record artifact)'),
    title: 'Anxiety: therapy and follow-up',
    activities: [ACTIVITIES.cbt],
  },
  obesity: {
    category: sct('734163000', 'Care plan (record artifact)'),
    title: 'Weight management',
    activities: [ACTIVITIES.healthyDiet, ACTIVITIES.exerciseTherapy],
  },
  ckd3: {
    category: sct('734163000', 'Care plan (record artifact)'),
    title: 'Kidney protection',
    activities: [ACTIVITIES.healthyDiet],
  },
};

export const PRACTICE = {
  familyPractice: sct('419772000', 'Family practice (qualifier value)'),
  doctor: { system: SYSTEMS.practitionerRole, code: 'doctor', display: 'Doctor' },
  nurse: { system: SYSTEMS.practitionerRole, code: 'nurse', display: 'Nurse' },
  provider: { system: SYSTEMS.organizationType, code: 'prov', display: 'Healthcare Provider' },
  building: { system: SYSTEMS.locationPhysicalType, code: 'bu', display: 'Building' },
  licence: { system: SYSTEMS.identifierType, code: 'LN', display: 'License number' },
  healthCard: { system: SYSTEMS.identifierType, code: 'JHN', display: 'Jurisdictional health number (Canada)' },
} as const satisfies Record<string, Code>;

export const MARITAL_STATUS = {
  married: { system: SYSTEMS.maritalStatus, code: 'M', display: 'Married' },
  single: { system: SYSTEMS.maritalStatus, code: 'S', display: 'Never Married' },
  divorced: { system: SYSTEMS.maritalStatus, code: 'D', display: 'Divorced' },
  widowed: { system: SYSTEMS.maritalStatus, code: 'W', display: 'Widowed' },
  partner: { system: SYSTEMS.maritalStatus, code: 'T', display: 'Domestic partner' },
} as const satisfies Record<string, Code>;

export const LANGUAGES = {
  english: { system: SYSTEMS.language, code: 'en-CA', display: 'English (Canada)' },
  french: { system: SYSTEMS.language, code: 'fr-CA', display: 'French (Canada)' },
} as const satisfies Record<string, Code>;

export const RELATIONSHIPS = {
  mother: { system: SYSTEMS.roleCode, code: 'MTH', display: 'mother' },
  father: { system: SYSTEMS.roleCode, code: 'FTH', display: 'father' },
  sister: { system: SYSTEMS.roleCode, code: 'SIS', display: 'sister' },
  brother: { system: SYSTEMS.roleCode, code: 'BRO', display: 'brother' },
} as const satisfies Record<string, Code>;

export type RelationshipKey = keyof typeof RELATIONSHIPS;
