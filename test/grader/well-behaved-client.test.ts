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

  it('passes every requirement it is graded on, in every run; a failed or stuck job leaves the downloads and data unexercised', () => {
    const { report } = graded();
    const expected = Object.fromEntries(ALL_RUNS.map((s) => [s ?? 'no fault', expectedRun(s)]));
    const noFiles = ['download.joins-base', 'download.sends-token', 'download.every-file', 'data.complete'];
    expected['job-fails'] = expectedRun('job-fails', { notExercised: noFiles });
    // Given up on by its own deadline and cancelled: no manifest, no file.
    expected['job-stuck'] = expectedRun('job-stuck', { notExercised: noFiles });
    // A file short of its count: no client can write the export whole.
    expected['count-mismatch'] = expectedRun('count-mismatch', { notExercised: ['data.complete'] });
    // Every download is through a signed URL, where no token is owed.
    expected['signed-urls'] = expectedRun('signed-urls', { notExercised: ['download.sends-token'] });
    expect(outcomesOf(report)).toEqual(expected);
    expect(report.summary).toEqual({ pass: 145, fail: 0, notExercised: 10 });
  });

  it('exits 0 with every resource of the export, once, wherever the export can end well', () => {
    const { report, facts, stored } = graded();
    const complete = report.runs.map((run, i) => ({ scenario: run.scenario, exitCode: run.exitCode, ...writtenCounts(facts[i]!) }));
    const expected = (scenario: string | null) => ({ scenario, exitCode: 0, counts: stored, duplicates: 0 });
    const endsBadly = ['job-fails', 'partial', 'job-stuck', 'count-mismatch'];
    expect(complete.filter((r) => !endsBadly.includes(r.scenario!))).toEqual([null, ...SCENARIO_NAMES.filter((s) => !endsBadly.includes(s))].map(expected));
  });

  it('gives up on a stuck job by its own deadline: cancels it, writes nothing, exits non-zero', () => {
    const { report, facts } = graded();
    const i = report.runs.findIndex((r) => r.scenario === 'job-stuck');
    expect(report.runs[i]).toMatchObject({ exitCode: 1, timedOut: false });
    expect(facts[i]!.entries.filter((e) => e.method === 'DELETE').map((e) => e.status)).toEqual([202]);
    expect(facts[i]!.written).toEqual([]);
  });

  it('reports a file short of its count after downloading it again, and exits non-zero', () => {
    const { report, facts } = graded();
    const i = report.runs.findIndex((r) => r.scenario === 'count-mismatch');
    expect(report.runs[i]!.exitCode).toBe(1);
    const short = facts[i]!.exports[0]!.files[0]!.id;
    expect(facts[i]!.entries.filter((e) => e.fileId === short).length).toBeGreaterThan(1);
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
