// Both example clients in the standard profile, where the grader gives them FHIR_BASE_URL and the
// manifest's file urls are absolute: there even the naive client gets the whole export when
// nothing goes wrong, and so meets the download faults it fails (a short file, a token sent to
// signed URLs); the well-behaved one still copes with a cut-short download and signed URLs.
import { describe, expect, it } from 'vitest';
import { expectedRun } from './expected-outcomes.js';
import { liveGrade, outcomesOf, writtenCounts } from './live-grade.js';

const wellBehaved = liveGrade('well-behaved', { profile: 'standard', scenarios: [null, 'download-truncated', 'signed-urls', 'download-redirect'] });
const naive = liveGrade('naive', { profile: 'standard', scenarios: [null, 'count-mismatch', 'signed-urls', 'download-redirect'] });

describe('the example clients in the standard profile', () => {
  it('the well-behaved client exits 0 with every resource once, with no fault and with a cut-short download', () => {
    const { report, facts, stored } = wellBehaved();
    expect(report.runs.map((r, i) => [r.scenario, r.exitCode, writtenCounts(facts[i]!)])).toEqual([
      [null, 0, { counts: stored, duplicates: 0 }],
      ['download-truncated', 0, { counts: stored, duplicates: 0 }],
      ['signed-urls', 0, { counts: stored, duplicates: 0 }],
      ['download-redirect', 0, { counts: stored, duplicates: 0 }],
    ]);
    expect(outcomesOf(report)).toEqual({
      'no fault': expectedRun(null),
      'download-truncated': expectedRun('download-truncated'),
      'signed-urls': expectedRun('signed-urls', { notExercised: ['download.sends-token'] }),
      'download-redirect': expectedRun('download-redirect'),
    });
  });

  it('the naive client, whose url resolution is right for absolute urls, gets every resource with no fault, and fails what it breaks on the way', () => {
    const { report, facts, stored } = naive();
    const short = { ...stored, Patient: stored.Patient! - 1 };
    expect(report.runs.map((r, i) => [r.scenario, r.exitCode, writtenCounts(facts[i]!)])).toEqual([
      [null, 0, { counts: stored, duplicates: 0 }],
      ['count-mismatch', 0, { counts: short, duplicates: 0 }],
      ['signed-urls', 0, { counts: stored, duplicates: 0 }],
      ['download-redirect', 0, { counts: stored, duplicates: 0 }],
    ]);
    expect(outcomesOf(report)).toEqual({
      'no fault': expectedRun(null),
      // It never counts lines: it exits 0 one resource short.
      'count-mismatch': expectedRun('count-mismatch', { fail: ['download.checks-count', 'exit.honest'], notExercised: ['data.complete'] }),
      // It sends its token wherever it downloads, a signed URL or where a redirect leads (fetch keeps it within an origin).
      'signed-urls': expectedRun('signed-urls', { fail: ['download.no-token-to-signed'], notExercised: ['download.sends-token'] }),
      'download-redirect': expectedRun('download-redirect', { fail: ['download.no-token-to-signed'] }),
    });
  });
});
