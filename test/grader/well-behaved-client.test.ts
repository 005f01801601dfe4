// The well-behaved example client against the real mock, through every scenario: it passes every
// requirement each run exercises; it ends with the complete export, each resource once, and
// exits 0, except when the job itself fails.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { ALL_RUNS, expectedRun } from './expected-outcomes.js';
import { liveGrade, outcomesOf, writtenCounts } from './live-grade.js';

const graded = liveGrade('well-behaved');

describe('the well-behaved client', () => {
  it('runs once with no fault, then once per scenario, never past its deadline', () => {
    const { report } = graded();
    expect(report.runs.map((r) => r.scenario)).toEqual([null, ...SCENARIO_NAMES]);
    expect(report.runs.filter((r) => r.timedOut)).toEqual([]);
  });

  it('passes every requirement it is graded on, in every run; a failed job leaves the downloads and data unexercised', () => {
    const { report } = graded();
    const expected = Object.fromEntries(ALL_RUNS.map((s) => [s ?? 'no fault', expectedRun(s)]));
    expected['job-fails'] = expectedRun('job-fails', {
      notExercised: ['download.joins-base', 'download.sends-token', 'download.every-file', 'data.complete'],
    });
    expect(outcomesOf(report)).toEqual(expected);
    expect(report.summary).toEqual({ pass: 79, fail: 0, notExercised: 4 });
  });

  it('exits 0 with every resource of the export, once, wherever the export can end well', () => {
    const { report, facts, stored } = graded();
    const complete = report.runs.map((run, i) => ({ scenario: run.scenario, exitCode: run.exitCode, ...writtenCounts(facts[i]!) }));
    const expected = (scenario: string | null) => ({ scenario, exitCode: 0, counts: stored, duplicates: 0 });
    expect(complete.filter((r) => r.scenario !== 'job-fails' && r.scenario !== 'partial')).toEqual(
      [null, ...SCENARIO_NAMES.filter((s) => s !== 'job-fails' && s !== 'partial')].map(expected),
    );
  });

  it('exits non-zero and writes nothing when the job fails', () => {
    const { report, facts } = graded();
    const i = report.runs.findIndex((r) => r.scenario === 'job-fails');
    expect(report.runs[i]!.exitCode).toBe(1);
    expect(facts[i]!.written).toEqual([]);
  });

  it('keeps what a partial export delivered: the first type whole, the type left out not at all', () => {
    const { report, facts, stored } = graded();
    const i = report.runs.findIndex((r) => r.scenario === 'partial');
    expect(report.runs[i]!.exitCode).toBe(0);
    expect(writtenCounts(facts[i]!)).toEqual({ counts: { Patient: stored.Patient }, duplicates: 0 });
  });
});
