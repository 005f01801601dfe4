// The grader's one door to the requirement catalog (src/conformance/): which requirements a run
// exercises, and their evaluation on the run's facts.
import { applicableRequirements } from '../conformance/catalog.js';
import { evaluate } from '../conformance/evaluate.js';
import type { Evaluator } from './grade.js';

export const catalogEvaluator: Evaluator = { applicable: applicableRequirements, evaluate };
