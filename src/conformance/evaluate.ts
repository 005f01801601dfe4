// Checks a run against requirements: each check reads only the run's facts.
import type { Outcome, Requirement, RequirementResult, RunFacts } from './requirement.js';

export function evaluate(run: RunFacts, requirements: readonly Requirement[]): RequirementResult[] {
  return requirements.map((r) => {
    const { outcome, reason, entries } = r.check(run);
    return { requirement: r.id, outcome, evidence: { reason, entries } };
  });
}

/** How many results had each outcome. */
export function summarise(results: readonly { outcome: Outcome }[]): { pass: number; fail: number; notExercised: number } {
  return {
    pass: results.filter((r) => r.outcome === 'pass').length,
    fail: results.filter((r) => r.outcome === 'fail').length,
    notExercised: results.filter((r) => r.outcome === 'not-exercised').length,
  };
}
