// The grader's one door to the requirement catalog (src/conformance/): `applicableRequirements`
// and `evaluate`, loaded when a grade starts. The modules are named at run time so that the
// grader builds on its own; a build without them stops the grade with a clear message.
import type { Requirement, RequirementResult, RunFacts } from '../conformance/requirement.js';
import type { ScenarioName } from '../scenarios/catalog.js';
import type { Evaluator } from './grade.js';

const CATALOG = '../conformance/catalog.js';
const EVALUATE = '../conformance/evaluate.js';

type Applicable = (scenarios: readonly ScenarioName[]) => Requirement[];
type Evaluate = (run: RunFacts, requirements: readonly Requirement[]) => RequirementResult[];

export class CatalogMissingError extends Error {
  override name = 'CatalogMissingError';
}

export async function loadEvaluator(): Promise<Evaluator> {
  let catalog: { applicableRequirements?: Applicable };
  let evaluation: { evaluate?: Evaluate; applicableRequirements?: Applicable };
  try {
    [catalog, evaluation] = await Promise.all([import(CATALOG), import(EVALUATE)]);
  } catch (err) {
    throw new CatalogMissingError(`this build has no requirement catalog (src/conformance/catalog.ts, evaluate.ts): ${String(err)}`, { cause: err });
  }
  const applicable = catalog.applicableRequirements ?? evaluation.applicableRequirements;
  const { evaluate } = evaluation;
  if (!applicable || !evaluate) throw new CatalogMissingError('the requirement catalog lacks applicableRequirements or evaluate');
  return { applicable, evaluate };
}
