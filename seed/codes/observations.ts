// Observation and report codes (LOINC, loinc.org) with their UCUM units (ucum.org). Canadian
// laboratories report in SI units, so chemistry uses the [Moles/volume] LOINC terms in mmol/L
// and umol/L.
import { SYSTEMS, type Code } from './systems.js';

const loinc = (code: string, display: string): Code => ({ system: SYSTEMS.loinc, code, display });

export interface MeasureDef {
  code: Code;
  /** UCUM code, also used as the human unit unless `unit` says otherwise. */
  ucum: string;
  unit?: string;
  text: string;
}

export const VITALS = {
  bloodPressure: { code: loinc('85354-9', 'Blood pressure panel with all children optional'), ucum: 'mm[Hg]', text: 'Blood pressure' },
  systolic: { code: loinc('8480-6', 'Systolic blood pressure'), ucum: 'mm[Hg]', text: 'Systolic' },
  diastolic: { code: loinc('8462-4', 'Diastolic blood pressure'), ucum: 'mm[Hg]', text: 'Diastolic' },
  heartRate: { code: loinc('8867-4', 'Heart rate'), ucum: '/min', unit: 'beats/minute', text: 'Heart rate' },
  respiratoryRate: { code: loinc('9279-1', 'Respiratory rate'), ucum: '/min', unit: 'breaths/minute', text: 'Respiratory rate' },
  temperature: { code: loinc('8310-5', 'Body temperature'), ucum: 'Cel', unit: '°C', text: 'Temperature' },
  oxygenSaturation: {
    code: loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    ucum: '%',
    text: 'SpO2',
  },
  bodyWeight: { code: loinc('29463-7', 'Body weight'), ucum: 'kg', text: 'Weight' },
  bodyHeight: { code: loinc('8302-2', 'Body height'), ucum: 'cm', text: 'Height' },
  bmi: { code: loinc('39156-5', 'Body mass index (BMI) [Ratio]'), ucum: 'kg/m2', text: 'BMI' },
  headCircumference: { code: loinc('9843-4', 'Head Occipital-frontal circumference'), ucum: 'cm', text: 'Head circumference' },
} as const satisfies Record<string, MeasureDef>;

export const LABS = {
  hba1c: { code: loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'), ucum: '%', text: 'HbA1c' },
  cholesterol: { code: loinc('14647-2', 'Cholesterol [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'Total cholesterol' },
  hdl: { code: loinc('14646-4', 'Cholesterol in HDL [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'HDL cholesterol' },
  ldl: {
    code: loinc('39469-2', 'Cholesterol in LDL [Moles/volume] in Serum or Plasma by calculation'),
    ucum: 'mmol/L',
    text: 'LDL cholesterol (calculated)',
  },
  triglycerides: { code: loinc('14927-8', 'Triglyceride [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'Triglycerides' },
  fastingGlucose: { code: loinc('14771-0', 'Fasting glucose [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'Fasting glucose' },
  sodium: { code: loinc('2951-2', 'Sodium [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'Sodium' },
  potassium: { code: loinc('2823-3', 'Potassium [Moles/volume] in Serum or Plasma'), ucum: 'mmol/L', text: 'Potassium' },
  creatinine: { code: loinc('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma'), ucum: 'umol/L', unit: 'µmol/L', text: 'Creatinine' },
  egfr: {
    code: loinc(
      '62238-1',
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
    ),
    ucum: 'mL/min/{1.73_m2}',
    unit: 'mL/min/1.73m2',
    text: 'eGFR (CKD-EPI)',
  },
  tsh: { code: loinc('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'), ucum: 'm[IU]/L', unit: 'mIU/L', text: 'TSH' },
  hemoglobin: { code: loinc('718-7', 'Hemoglobin [Mass/volume] in Blood'), ucum: 'g/L', text: 'Hemoglobin' },
  leukocytes: {
    code: loinc('6690-2', 'Leukocytes [#/volume] in Blood by Automated count'),
    ucum: '10*9/L',
    unit: 'x10^9/L',
    text: 'WBC',
  },
  platelets: {
    code: loinc('777-3', 'Platelets [#/volume] in Blood by Automated count'),
    ucum: '10*9/L',
    unit: 'x10^9/L',
    text: 'Platelets',
  },
} as const satisfies Record<string, MeasureDef>;

export type LabKey = keyof typeof LABS;

/** Panels ordered together; each becomes a DiagnosticReport grouping its results. */
export const LAB_PANELS = {
  lipids: { code: loinc('24331-1', 'Lipid 1996 panel - Serum or Plasma'), text: 'Lipid panel', tests: ['cholesterol', 'hdl', 'ldl', 'triglycerides'] },
  hba1c: { code: LABS.hba1c.code, text: 'Hemoglobin A1c', tests: ['hba1c'] },
  metabolic: {
    code: loinc('51990-0', 'Basic metabolic panel - Blood'),
    text: 'Electrolytes, creatinine and glucose',
    tests: ['fastingGlucose', 'sodium', 'potassium', 'creatinine', 'egfr'],
  },
  tsh: { code: LABS.tsh.code, text: 'TSH', tests: ['tsh'] },
  cbc: { code: loinc('58410-2', 'CBC panel - Blood by Automated count'), text: 'Complete blood count', tests: ['hemoglobin', 'leukocytes', 'platelets'] },
} as const satisfies Record<string, { code: Code; text: string; tests: readonly LabKey[] }>;

export type PanelKey = keyof typeof LAB_PANELS;

export const SCREENING = {
  smokingStatus: loinc('72166-2', 'Tobacco smoking status'),
  phq9: loinc('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]'),
  gad7: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
} as const satisfies Record<string, Code>;

/** SNOMED CT answers for the smoking status observation. */
export const SMOKING_STATUS = {
  never: { system: SYSTEMS.snomed, code: '266919005', display: 'Never smoked tobacco (finding)' },
  former: { system: SYSTEMS.snomed, code: '8517006', display: 'Ex-smoker (finding)' },
  current: { system: SYSTEMS.snomed, code: '449868002', display: 'Smokes tobacco daily (finding)' },
} as const satisfies Record<string, Code>;

export type SmokingKey = keyof typeof SMOKING_STATUS;

export const OBSERVATION_CATEGORIES = {
  vitalSigns: { system: SYSTEMS.observationCategory, code: 'vital-signs', display: 'Vital Signs' },
  laboratory: { system: SYSTEMS.observationCategory, code: 'laboratory', display: 'Laboratory' },
  socialHistory: { system: SYSTEMS.observationCategory, code: 'social-history', display: 'Social History' },
  survey: { system: SYSTEMS.observationCategory, code: 'survey', display: 'Survey' },
} as const satisfies Record<string, Code>;

export const INTERPRETATION = {
  high: { system: SYSTEMS.interpretation, code: 'H', display: 'High' },
  low: { system: SYSTEMS.interpretation, code: 'L', display: 'Low' },
  normal: { system: SYSTEMS.interpretation, code: 'N', display: 'Normal' },
} as const satisfies Record<string, Code>;

export const LAB_SECTION = { system: SYSTEMS.diagnosticServiceSection, code: 'LAB', display: 'Laboratory' } as const;

/** Clinical notes (DocumentReference.type). */
export const NOTE_TYPES = {
  progress: loinc('11506-3', 'Progress note'),
  historyAndPhysical: loinc('34117-2', 'History and physical note'),
} as const satisfies Record<string, Code>;
