// Allergy substances and reactions (SNOMED CT International edition).
import { SYSTEMS, type Code } from './systems.js';

const sct = (code: string, display: string): Code => ({ system: SYSTEMS.snomed, code, display });

export const REACTIONS = {
  hives: sct('247472004', 'Wheal (finding)'),
  rash: sct('271807003', 'Eruption of skin (disorder)'),
  anaphylaxis: sct('39579001', 'Anaphylaxis (disorder)'),
  nausea: sct('422587007', 'Nausea (finding)'),
  itching: sct('418290006', 'Itching (finding)'),
  dyspnea: sct('267036007', 'Dyspnea (finding)'),
  sneezing: sct('76067001', 'Sneezing (finding)'),
  diarrhea: sct('62315008', 'Diarrhea (finding)'),
} as const satisfies Record<string, Code>;

type ReactionKey = keyof typeof REACTIONS;

export interface AllergyDef {
  code: Code;
  text: string;
  category: 'food' | 'medication' | 'environment' | 'biologic';
  type: 'allergy' | 'intolerance';
  /** Typical reactions; the first is the most common. */
  reactions: readonly ReactionKey[];
  /** Chance that a reaction was severe (then criticality is high). */
  severe: number;
  /** Who has it: share of patients, and from what age it shows. */
  prevalence: number;
  fromAge: number;
}

export const ALLERGIES = {
  penicillin: {
    code: sct('764146007', 'Penicillin (substance)'),
    text: 'Penicillin',
    category: 'medication',
    type: 'allergy',
    reactions: ['hives', 'rash', 'anaphylaxis'],
    severe: 0.05,
    prevalence: 0.07,
    fromAge: 1,
  },
  sulfonamide: {
    code: sct('387406002', 'Sulfonamide (substance)'),
    text: 'Sulfa drugs',
    category: 'medication',
    type: 'allergy',
    reactions: ['rash', 'itching'],
    severe: 0.02,
    prevalence: 0.02,
    fromAge: 5,
  },
  codeine: {
    code: sct('387494007', 'Codeine (substance)'),
    text: 'Codeine',
    category: 'medication',
    type: 'intolerance',
    reactions: ['nausea'],
    severe: 0,
    prevalence: 0.015,
    fromAge: 12,
  },
  aspirin: {
    code: sct('387458008', 'Aspirin (substance)'),
    text: 'ASA',
    category: 'medication',
    type: 'allergy',
    reactions: ['hives', 'dyspnea'],
    severe: 0.05,
    prevalence: 0.008,
    fromAge: 12,
  },
  peanut: {
    code: sct('256349002', 'Peanut - dietary (substance)'),
    text: 'Peanuts',
    category: 'food',
    type: 'allergy',
    reactions: ['hives', 'anaphylaxis'],
    severe: 0.25,
    prevalence: 0.02,
    fromAge: 1,
  },
  shellfish: {
    code: sct('300913006', 'Shellfish (substance)'),
    text: 'Shellfish',
    category: 'food',
    type: 'allergy',
    reactions: ['hives', 'nausea', 'anaphylaxis'],
    severe: 0.1,
    prevalence: 0.015,
    fromAge: 3,
  },
  egg: {
    code: sct('102263004', 'Eggs (edible) (substance)'),
    text: 'Egg',
    category: 'food',
    type: 'allergy',
    reactions: ['rash', 'diarrhea'],
    severe: 0.03,
    prevalence: 0.01,
    fromAge: 1,
  },
  latex: {
    code: sct('111088007', 'Latex (substance)'),
    text: 'Latex',
    category: 'environment',
    type: 'allergy',
    reactions: ['itching', 'rash'],
    severe: 0.02,
    prevalence: 0.008,
    fromAge: 10,
  },
  beeVenom: {
    code: sct('288328004', 'Bee venom (substance)'),
    text: 'Bee stings',
    category: 'environment',
    type: 'allergy',
    reactions: ['hives', 'anaphylaxis'],
    severe: 0.2,
    prevalence: 0.01,
    fromAge: 3,
  },
  catDander: {
    code: sct('264287008', 'Animal dander (substance)'),
    text: 'Cats',
    category: 'environment',
    type: 'allergy',
    reactions: ['sneezing', 'itching'],
    severe: 0,
    prevalence: 0.05,
    fromAge: 2,
  },
  grassPollen: {
    code: sct('256277009', 'Grass pollen (substance)'),
    text: 'Grass pollen',
    category: 'environment',
    type: 'allergy',
    reactions: ['sneezing', 'itching'],
    severe: 0,
    prevalence: 0.07,
    fromAge: 3,
  },
  dustMite: {
    code: sct('260147004', 'House dust mite (organism)'),
    text: 'Dust mites',
    category: 'environment',
    type: 'allergy',
    reactions: ['sneezing'],
    severe: 0,
    prevalence: 0.04,
    fromAge: 3,
  },
} as const satisfies Record<string, AllergyDef>;

export type AllergyKey = keyof typeof ALLERGIES;

/** Recorded when the patient was asked and reported no drug allergy. */
export const NO_KNOWN_DRUG_ALLERGY = sct('409137002', 'No known history of drug allergy (situation)');

export const ALLERGY_STATUS = {
  active: { system: SYSTEMS.allergyClinical, code: 'active', display: 'Active' },
  confirmed: { system: SYSTEMS.allergyVerification, code: 'confirmed', display: 'Confirmed' },
  unconfirmed: { system: SYSTEMS.allergyVerification, code: 'unconfirmed', display: 'Unconfirmed' },
} as const satisfies Record<string, Code>;
