// A patient's clinical story, planned before any resource is written: who they are, what they
// live with and when it started, and every visit with what happened at it. The resource modules
// then only translate the story into FHIR, so the records agree with one another by construction.
import type { PatientStory, StoryInput } from './story-types.js';
import { planDemographics } from './demographics.js';
import { planConditions } from './conditions-plan.js';
import { planVisits } from './schedule.js';
import { planOrders } from './orders.js';

export function planStory(input: StoryInput): PatientStory {
  const demo = planDemographics(input);
  const chronic = planConditions(input.rng, demo);
  const story: PatientStory = {
    ...demo,
    chronic,
    acute: [],
    visits: [],
    allergies: [],
    noKnownDrugAllergy: null,
    family: null,
    medicationUses: [],
  };
  planVisits(input, story);
  planOrders(input, story);
  return story;
}
