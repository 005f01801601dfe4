// The codes the generator emits, each from its published code system with its display.
// Sources: SNOMED CT International (browser.ihtsdotools.org), LOINC (loinc.org),
// RxNorm (NLM RxNav), UCUM (ucum.org), HL7 v3 ActCode (terminology.hl7.org).
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
} as const;

export interface Code {
  system: string;
  code: string;
  display: string;
}

/** Chronic conditions, with the age from which they appear and a rough prevalence from then on. */
export const CONDITIONS = {
  hypertension: {
    code: { system: SYSTEMS.snomed, code: '38341003', display: 'Hypertensive disorder, systemic arterial (disorder)' },
    fromAge: 30,
    prevalence: 0.25,
  },
  diabetes2: {
    code: { system: SYSTEMS.snomed, code: '44054006', display: 'Diabetes mellitus type 2 (disorder)' },
    fromAge: 35,
    prevalence: 0.1,
  },
  hyperlipidemia: {
    code: { system: SYSTEMS.snomed, code: '55822004', display: 'Hyperlipidemia (disorder)' },
    fromAge: 30,
    prevalence: 0.2,
  },
  asthma: {
    code: { system: SYSTEMS.snomed, code: '195967001', display: 'Asthma (disorder)' },
    fromAge: 3,
    prevalence: 0.08,
  },
  depression: {
    code: { system: SYSTEMS.snomed, code: '35489007', display: 'Depressive disorder (disorder)' },
    fromAge: 14,
    prevalence: 0.1,
  },
} as const satisfies Record<string, { code: Code; fromAge: number; prevalence: number }>;

export type ConditionKey = keyof typeof CONDITIONS;

/** A first-line medication for each condition. */
export const MEDICATIONS: Record<ConditionKey, { code: Code; dosage: string }> = {
  hypertension: {
    code: { system: SYSTEMS.rxnorm, code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
    dosage: 'Take 1 tablet by mouth once daily',
  },
  diabetes2: {
    code: { system: SYSTEMS.rxnorm, code: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet' },
    dosage: 'Take 1 tablet by mouth twice daily with meals',
  },
  hyperlipidemia: {
    code: { system: SYSTEMS.rxnorm, code: '617310', display: 'atorvastatin 20 MG Oral Tablet' },
    dosage: 'Take 1 tablet by mouth once daily at bedtime',
  },
  asthma: {
    code: {
      system: SYSTEMS.rxnorm,
      code: '745679',
      display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    },
    dosage: 'Inhale 2 puffs every 4 to 6 hours as needed for shortness of breath',
  },
  depression: {
    code: { system: SYSTEMS.rxnorm, code: '312940', display: 'sertraline 50 MG Oral Tablet' },
    dosage: 'Take 1 tablet by mouth once daily',
  },
};

export const OBSERVATIONS = {
  bloodPressure: { system: SYSTEMS.loinc, code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { system: SYSTEMS.loinc, code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { system: SYSTEMS.loinc, code: '8462-4', display: 'Diastolic blood pressure' },
  bodyWeight: { system: SYSTEMS.loinc, code: '29463-7', display: 'Body weight' },
  hba1c: { system: SYSTEMS.loinc, code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' },
} as const satisfies Record<string, Code>;

export const ENCOUNTER_TYPE: Code = {
  system: SYSTEMS.snomed,
  code: '185349003',
  display: 'Encounter for check up (procedure)',
};

export const AMBULATORY = { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' } as const;
