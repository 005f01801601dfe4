// The shape of a patient's planned story: what the planners fill in and the resource modules
// translate into FHIR.
import type { ChronicKey, AcuteKey, FamilyConditionKey } from '../codes/conditions.js';
import type { MedicationKey } from '../codes/medications.js';
import type { PanelKey, SmokingKey } from '../codes/observations.js';
import type { ProcedureKey, RelationshipKey, VisitKind } from '../codes/care.js';
import type { VaccineKey } from '../codes/immunizations.js';
import type { AllergyKey } from '../codes/allergies.js';
import type { Clinic, Site, Staff } from '../directory.js';
import type { Place } from '../places.js';
import type { PopulationContext } from '../population-context.js';
import type { Rng } from '../rng.js';

export type Sex = 'male' | 'female';

export interface ChronicEpisode {
  id: string;
  key: ChronicKey;
  onsetMs: number;
  /** The visit where it was first put on the problem list (set by the schedule). */
  recordedAt?: Visit;
  /** The last visit that reviewed it (for meta.lastUpdated). */
  lastReviewed?: Visit;
  carePlanId?: string;
}

export interface AcuteEpisode {
  id: string;
  key: AcuteKey;
  onsetMs: number;
  abatementMs: number;
  visit: Visit;
}

export interface Prescription {
  id: string;
  med: MedicationKey;
  /** The Condition it treats (a chronic or acute episode of this patient). */
  reasonId: string;
  visit: Visit;
  course: 'continuous' | 'acute';
  status: 'active' | 'completed' | 'stopped';
  /** When the record last changed: written, superseded by a renewal, or stopped. */
  lastUpdatedMs: number;
  /** The prescription this one renews, if any. */
  renews?: Prescription;
}

export interface MedicationUse {
  id: string;
  med: MedicationKey;
  reasonId: string | null;
  sinceMs: number;
  visit: Visit;
  status: 'active' | 'completed';
}

export interface AllergyRecord {
  id: string;
  key: AllergyKey;
  onsetMs: number;
  visit: Visit;
  reactions: number;
  severe: boolean;
}

export interface Relative {
  id: string;
  relationship: RelationshipKey;
  conditions: { key: FamilyConditionKey; onsetAge: number }[];
  deceased: boolean;
}

export type Screening = 'smoking' | 'phq9' | 'gad7';

export interface Visit {
  id: string;
  kind: VisitKind;
  startMs: number;
  endMs: number;
  staff: Staff;
  /** Null for a phone or video visit. */
  site: Site | null;
  /** Chronic problems reviewed at this visit. */
  reviews: ChronicEpisode[];
  /** Problems first recorded at this visit. */
  diagnoses: ChronicEpisode[];
  acute: AcuteEpisode | null;
  panels: PanelKey[];
  vaccines: VaccineKey[];
  procedures: ProcedureKey[];
  screenings: Screening[];
  prescriptions: Prescription[];
  noteId: string;
  /** Nominal age in months of a well-baby visit: it drives the vaccine schedule. */
  wellChildMonth: number | null;
  /** A seasonal flu shot is given at this visit. */
  flu: boolean;
}

export interface PatientStory {
  sex: Sex;
  french: boolean;
  birthMs: number;
  deathMs: number | null;
  /** Care ends here: death, or the reference date. */
  endMs: number;
  rosterStartMs: number;
  place: Place;
  smoking: SmokingKey;
  /** Adult height (cm) and body mass index at the start of care. */
  adultHeightCm: number;
  bmi: number;
  chronic: ChronicEpisode[];
  acute: AcuteEpisode[];
  visits: Visit[];
  allergies: AllergyRecord[];
  /** The visit where "no known drug allergy" was recorded, if it was. */
  noKnownDrugAllergy: { id: string; visit: Visit } | null;
  family: { visit: Visit; relatives: Relative[] } | null;
  medicationUses: MedicationUse[];
}

export interface StoryInput {
  rng: Rng;
  population: PopulationContext;
  clinic: Clinic;
  physician: Staff;
}
