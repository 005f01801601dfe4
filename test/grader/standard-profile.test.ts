// Both example clients in the standard profile, where the grader gives them FHIR_BASE_URL and the
// manifest's file urls are absolute: there even the naive client gets the whole export when
// nothing goes wrong, and the well-behaved one still copes with a cut-short download.
import { describe, expect, it } from 'vitest';
import { expectedRun } from './expected-outcomes.js';
import { liveGrade, outcomesOf, writtenCounts } from './live-grade.js';

const wellBehaved = liveGrade('well-behaved', { profile: 'standard', scenarios: [null, 'download-truncated'] });
const naive = liveGrade('naive', { profile: 'standard', scenarios: [null] });

describe('the example clients in the standard profile', () => {
  it('the well-behaved client exits 0 with every resource once, with no fault and with a cut-short download', () => {
    const { report, facts, stored } = wellBehaved();
    expect(report.runs.map((r, i) => [r.scenario, r.exitCode, writtenCounts(facts[i]!)])).toEqual([
      [null, 0, { counts: stored, duplicates: 0 }],
      ['download-truncated', 0, { counts: stored, duplicates: 0 }],
    ]);
    expect(outcomesOf(report)).toEqual({ 'no fault': expectedRun(null), 'download-truncated': expectedRun('download-truncated') });
  });

  it('the naive client, whose url resolution is right for absolute urls, gets every resource with no fault', () => {
    const { report, facts, stored } = naive();
    expect(report.runs.map((r, i) => [r.scenario, r.exitCode, writtenCounts(facts[i]!)])).toEqual([[null, 0, { counts: stored, duplicates: 0 }]]);
    expect(outcomesOf(report)).toEqual({ 'no fault': expectedRun(null) });
  });
});
