// Which requirements apply to which scenarios, and evaluate's shape.
import { describe, expect, it } from 'vitest';
import { applicableRequirements, REQUIREMENTS } from '../../src/conformance/catalog.js';
import { evaluate, summarise } from '../../src/conformance/evaluate.js';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { kickoff, run } from './journal-builder.js';

const EVERY_RUN = ['auth.no-token-in-url', 'download.joins-base', 'download.sends-token', 'download.every-file', 'data.complete', 'exit.honest'];

describe('the requirement catalog', () => {
  it('has stable, unique ids', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
  });

  it('a run with no fault gets the requirements every run exercises', () => {
    expect(applicableRequirements([]).map((r) => r.id)).toEqual(EVERY_RUN);
  });

  it("a scenario adds the requirements that name it, in the catalog's order", () => {
    expect(applicableRequirements(['poll-transient', 'download-error']).map((r) => r.id)).toEqual([
      'poll.honours-retry-after',
      'poll.retries-transient',
      ...EVERY_RUN.slice(0, 4),
      'download.retries-transient',
      ...EVERY_RUN.slice(4),
    ]);
    expect(applicableRequirements(['kickoff-throttled']).map((r) => r.id)).toEqual(['kickoff.waits-after-429', ...EVERY_RUN]);
  });

  it('every scenario is exercised by at least one requirement of its own, and names only known scenarios', () => {
    for (const scenario of SCENARIO_NAMES.filter((s) => s !== 'kickoff-error')) {
      expect(REQUIREMENTS.some((r) => r.scenarios !== 'all' && r.scenarios.includes(scenario)), scenario).toBe(true);
    }
    for (const r of REQUIREMENTS) if (r.scenarios !== 'all') for (const s of r.scenarios) expect(SCENARIO_NAMES).toContain(s);
  });

  it('evaluate gives one result per requirement, with its evidence; summarise counts them', () => {
    const throttled = kickoff(0, { status: 429, retryAfter: 5, jobId: null });
    const again = kickoff(1);
    const results = evaluate(run([throttled, again]), applicableRequirements(['kickoff-throttled']).slice(0, 2));
    expect(results).toEqual([
      {
        requirement: 'kickoff.waits-after-429',
        outcome: 'fail',
        evidence: { reason: 'The kick-off was sent again 1.0 s after a 429 that asked for Retry-After: 5.', entries: [throttled, again] },
      },
      {
        requirement: 'auth.no-token-in-url',
        outcome: 'pass',
        evidence: { reason: 'All 2 requests with a token sent it in the Authorization header.', entries: [] },
      },
    ]);
    expect(summarise(results)).toEqual({ pass: 1, fail: 1, notExercised: 0 });
  });
});
