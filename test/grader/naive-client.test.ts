// The naive example client against the real mock, through every scenario: it exits 0 whatever
// happened, and, resolving the files' urls against the origin, never gets a file of a Verto export.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { liveGrade } from './live-grade.js';

const graded = liveGrade('naive');

describe('the naive client', () => {
  it('exits 0 in every run, never past its deadline', () => {
    const { report } = graded();
    expect(report.runs.map((r) => [r.scenario, r.exitCode, r.timedOut])).toEqual(
      [null, ...SCENARIO_NAMES].map((s) => [s, 0, false]),
    );
  });

  it('writes no resource at all: every download it tries is at the wrong address', () => {
    const { facts } = graded();
    expect(facts.map((f) => f.written)).toEqual(facts.map(() => []));
  });
});
