// The naive example client against the real mock, through every scenario: it exits 0 whatever
// happened, and, resolving the files' urls against the origin, never gets a file of a Verto export.
// Its grade fails exactly what it breaks; what it never reached is not exercised.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { expectedRun } from './expected-outcomes.js';
import { liveGrade, outcomesOf } from './live-grade.js';

const graded = liveGrade('naive');

describe('the naive client', () => {
  it('exits 0 in every run, never past its deadline', () => {
    const { report } = graded();
    expect(report.runs.map((r) => [r.scenario, r.exitCode, r.timedOut])).toEqual(
      [null, ...SCENARIO_NAMES].map((s) => [s, 0, false]),
    );
  });

  it('fails exactly the requirements it breaks, run by run', () => {
    const { report } = graded();
    // Every download it sends is at the wrong address; what the mock answers there is a 404.
    const lostFiles = ['download.joins-base', 'download.every-file', 'data.complete', 'exit.honest'];
    // Given up before any file: nothing downloaded, nothing to compare.
    const noFiles = ['download.joins-base', 'download.sends-token', 'download.every-file', 'data.complete'];
    expect(outcomesOf(report)).toEqual({
      'no fault': expectedRun(null, { fail: lostFiles }),
      'kickoff-error': expectedRun('kickoff-error', { fail: ['exit.honest'], notExercised: noFiles }),
      // It never sends the kick-off again after the 429: whether it would have waited is not known.
      'kickoff-throttled': expectedRun('kickoff-throttled', { fail: ['exit.honest'], notExercised: ['kickoff.waits-after-429', ...noFiles] }),
      slow: expectedRun('slow', { fail: ['poll.honours-retry-after', ...lostFiles] }),
      'job-fails': expectedRun('job-fails', { fail: ['exit.honest'], notExercised: noFiles }),
      'poll-transient': expectedRun('poll-transient', { fail: ['poll.retries-transient', 'exit.honest'], notExercised: ['poll.honours-retry-after', ...noFiles] }),
      // Polled too fast, answered 429, given up before the manifest.
      'poll-too-fast': expectedRun('poll-too-fast', { fail: ['poll.honours-retry-after', 'exit.honest'], notExercised: noFiles }),
      partial: expectedRun('partial', { fail: ['partial.reads-errors', ...lostFiles] }),
      'token-expires': expectedRun('token-expires', { fail: ['auth.renews-token', 'exit.honest'], notExercised: noFiles }),
      // The faults sit on the right addresses, which it never asks.
      'download-error': expectedRun('download-error', { fail: lostFiles, notExercised: ['download.retries-transient'] }),
      'download-truncated': expectedRun('download-truncated', { fail: lostFiles, notExercised: ['download.retries-truncated'] }),
      'files-expired': expectedRun('files-expired', {
        fail: ['download.joins-base', 'expired.does-not-pass', 'exit.honest'],
        notExercised: ['download.every-file', 'data.complete'],
      }),
      'download-slow': expectedRun('download-slow', { fail: lostFiles, notExercised: ['download.completes-slow'] }),
      'download-stall': expectedRun('download-stall', { fail: lostFiles, notExercised: ['download.retries-truncated', 'download.read-timeout'] }),
      'download-reset': expectedRun('download-reset', { fail: lostFiles, notExercised: ['download.retries-truncated'] }),
      'download-throttled': expectedRun('download-throttled', { fail: lostFiles, notExercised: ['download.waits-after-429'] }),
      // It polls again half a second after a Retry-After dated a second or more away.
      'retry-after-date': expectedRun('retry-after-date', { fail: ['retry.honours-date', ...lostFiles] }),
      // It polls for thirty seconds, leaves the job running and exits 0.
      'job-stuck': expectedRun('job-stuck', { fail: ['poll.gives-up-stuck', 'exit.honest'], notExercised: noFiles }),
      // No client can write this export whole; it never gets the short file to count it.
      'count-mismatch': expectedRun('count-mismatch', {
        fail: ['download.joins-base', 'download.every-file', 'exit.honest'],
        notExercised: ['data.complete', 'download.checks-count'],
      }),
      'tiny-files': expectedRun('tiny-files', { fail: ['download.many-files', ...lostFiles] }),
      // Its signed downloads at the origin are at no path the journal ties to a file.
      'signed-urls': expectedRun('signed-urls', {
        fail: ['download.every-file', 'data.complete', 'exit.honest'],
        notExercised: ['download.joins-base', 'download.sends-token', 'download.no-token-to-signed'],
      }),
      'download-redirect': expectedRun('download-redirect', { fail: lostFiles, notExercised: ['download.follows-redirect', 'download.no-token-to-signed'] }),
    });
    expect(report.summary).toEqual({ pass: 37, fail: 72, notExercised: 46 });
  });

  it('writes no resource at all: every download it tries is at the wrong address', () => {
    const { facts } = graded();
    expect(facts.map((f) => f.written)).toEqual(facts.map(() => []));
  });
});
