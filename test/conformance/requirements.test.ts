// Every client requirement on hand-written journals: a client that meets it, one that breaks
// it (with the entries that show it) and one that never got that far.
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, type RequirementId } from '../../src/conformance/catalog.js';
import type { Outcome, RunFacts } from '../../src/conformance/requirement.js';
import type { JournalEntry } from '../../src/journal/journal-entry.js';
import {
  BASE,
  download,
  entry,
  ERR,
  EXPORT,
  F1,
  F2,
  JOB,
  JOB2,
  kickoff,
  PARTIAL_EXPORT,
  poll,
  run,
  tokenRequest,
  WRITTEN,
} from './journal-builder.js';

interface Case {
  name: string;
  run: RunFacts;
  outcome: Outcome;
  entries: JournalEntry[];
}

const ready = (s: number) => poll(s, { status: 200, retryAfter: null, bytes: 500 });
const wholeExport = [tokenRequest(0), kickoff(1), poll(2), ready(3), download(4, F1), download(5, F2)];
// Gave up polling (a 429 here) before the manifest; the job finished afterwards, its files unseen.
const gaveUp = [tokenRequest(0), kickoff(1), poll(2), poll(2.5, { status: 429, scenario: 'poll-too-fast' })];

// kickoff.waits-after-429
const throttled = kickoff(0, { status: 429, retryAfter: 5, jobId: null, scenario: 'kickoff-throttled' });
const patientKickoff = kickoff(5);
const hastyKickoff = kickoff(2);
// poll.honours-retry-after
const slowPoll = poll(1, { retryAfter: 3 });
const politePoll = poll(4);
const hastyPoll = poll(2);
// poll.retries-transient
const transientPoll = poll(1, { status: 503, scenario: 'poll-transient' });
// poll.stops-on-failure
const failedPoll = poll(2, { status: 500, retryAfter: null, scenario: 'job-fails' });
const pollAfterFailure = poll(3, { status: 500, retryAfter: null, scenario: 'job-fails' });
// auth.renews-token
const expired = poll(2, { status: 401, retryAfter: null, scenario: 'token-expires' });
const renewal = tokenRequest(3);
const resumed = poll(4);
const restart = kickoff(4, { jobId: JOB2 });
// download.joins-base
const wrongPath = download(4, F1, { path: `/file/${F1}/download`, jobId: null, status: 404 });
// download.sends-token
const bareDownload = download(5, F2, { token: false, status: 401 });
// download.retries-transient
const refusedDownload = download(4, F1, { status: 503, retryAfter: 1, scenario: 'download-error' });
const retriedDownload = download(5, F1);
const hastyRetry = download(4.5, F1);
// download.retries-truncated
const cutDownload = download(4, F1, { complete: false, scenario: 'download-truncated' });
const cutSecondFile = download(6, F2, { complete: false });
// partial.reads-errors
const errorFile = download(6, ERR);
// expired.does-not-pass
const expiredDownload = download(4, F1, { status: 404, scenario: 'files-expired' });
const newExport = kickoff(5, { jobId: JOB2 });
// download.waits-after-429
const throttledDownload = download(4, F1, { status: 429, retryAfter: 1, scenario: 'download-throttled' });
// retry.honours-date (Retry-After dated: kept as seconds rounded up)
const DATED = { ...EXPORT, scenarios: ['retry-after-date' as const] };
const datedPoll = poll(2, { retryAfter: 2 });
// download.completes-slow
const slowWhole = download(4, F1, { scenario: 'download-slow' });
const slowAbandoned = download(4, F1, { complete: false, scenario: 'download-slow' });
// download.read-timeout
const stalledDownload = download(4, F1, { complete: false, ms: 2000, scenario: 'download-stall' });
const afterWaitedOut = download(40, F1, { scenario: 'download-stall' });
// job-stuck
const STUCK = { ...EXPORT, scenarios: ['job-stuck' as const], files: [] };
const stuckPolls = [poll(2), poll(3), poll(4)];
const cancel = entry(5, { method: 'DELETE', path: `${BASE}/fhir/$export-poll-status`, query: `_jobId=${JOB}`, jobId: JOB, status: 202 });
// download.checks-count
const SHORT = { ...EXPORT, scenarios: ['count-mismatch' as const] };
// download.many-files
const TINY = { ...EXPORT, scenarios: ['tiny-files' as const] };
// signed URLs and redirects
const signedPath = (f: string) => `${BASE}/file/${f}/signed`;
const signedBare = download(5, F1, { path: signedPath(F1), token: false });
const signedWithToken = download(5, F1, { path: signedPath(F1), token: true });
const redirected = download(4, F1, { status: 307, scenario: 'download-redirect' });
// auth.no-token-in-url
const tokenInUrl = poll(2, { query: `_jobId=${JOB}&access_token=[Redacted]` });

const CASES: Record<RequirementId, Case[]> = {
  'kickoff.waits-after-429': [
    { name: 'sent again after Retry-After', run: run([throttled, patientKickoff]), outcome: 'pass', entries: [] },
    { name: 'sent again 2 s after Retry-After: 5', run: run([throttled, hastyKickoff]), outcome: 'fail', entries: [throttled, hastyKickoff] },
    { name: 'no 429', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'poll.honours-retry-after': [
    { name: 'waited 3 s', run: run([kickoff(0), slowPoll, politePoll]), outcome: 'pass', entries: [] },
    { name: 'polled after 1 s of 3', run: run([kickoff(0), slowPoll, hastyPoll]), outcome: 'fail', entries: [slowPoll, hastyPoll] },
    { name: 'one poll only', run: run([kickoff(0), ready(1)]), outcome: 'not-exercised', entries: [] },
  ],
  'poll.retries-transient': [
    { name: 'polled the same job again', run: run([kickoff(0), transientPoll, ready(2)]), outcome: 'pass', entries: [] },
    { name: 'started over instead', run: run([kickoff(0), transientPoll, kickoff(3, { jobId: JOB2 })]), outcome: 'fail', entries: [transientPoll] },
    { name: 'no 503', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'poll.stops-on-failure': [
    { name: 'stopped', run: run([kickoff(0), poll(1), failedPoll], { exports: [] }), outcome: 'pass', entries: [] },
    { name: 'polled on', run: run([kickoff(0), poll(1), failedPoll, pollAfterFailure], { exports: [] }), outcome: 'fail', entries: [failedPoll, pollAfterFailure] },
    { name: 'no failure', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'retry.honours-date': [
    // Dated two (rounded up) seconds away: the date was at least a second after the poll.
    { name: 'waited until the date', run: run([tokenRequest(0), kickoff(1), datedPoll, ready(3)], { exports: [DATED] }), outcome: 'pass', entries: [] },
    { name: 'asked again at once', run: run([tokenRequest(0), kickoff(1), datedPoll, ready(2.5)], { exports: [DATED] }), outcome: 'fail', entries: [datedPoll, ready(2.5)] },
    { name: 'no date followed', run: run([tokenRequest(0), kickoff(1), ready(2)], { exports: [DATED] }), outcome: 'not-exercised', entries: [] },
  ],
  'poll.gives-up-stuck': [
    { name: 'cancelled and exited 1', run: run([tokenRequest(0), kickoff(1), ...stuckPolls, cancel], { exports: [STUCK], exitCode: 1 }), outcome: 'pass', entries: [cancel] },
    { name: 'gave up without cancelling', run: run([tokenRequest(0), kickoff(1), ...stuckPolls], { exports: [STUCK], exitCode: 1 }), outcome: 'fail', entries: stuckPolls },
    { name: 'cancelled but exited 0', run: run([tokenRequest(0), kickoff(1), ...stuckPolls, cancel], { exports: [STUCK], exitCode: 0 }), outcome: 'fail', entries: [cancel] },
    { name: 'stopped at the deadline', run: run([tokenRequest(0), kickoff(1), ...stuckPolls], { exports: [STUCK], timedOut: true, exitCode: null }), outcome: 'fail', entries: stuckPolls },
    { name: 'never polled', run: run([tokenRequest(0), kickoff(1)], { exports: [STUCK], exitCode: 1 }), outcome: 'not-exercised', entries: [] },
  ],
  'auth.renews-token': [
    { name: 'new token, same job', run: run([tokenRequest(0), kickoff(1), expired, renewal, resumed]), outcome: 'pass', entries: [expired, renewal, resumed] },
    { name: 'new token, new export', run: run([tokenRequest(0), kickoff(1), expired, renewal, restart]), outcome: 'fail', entries: [expired, renewal, restart] },
    { name: 'no 401', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'auth.no-token-in-url': [
    { name: 'header only', run: run(wholeExport), outcome: 'pass', entries: [] },
    { name: 'access_token in a query', run: run([kickoff(1), tokenInUrl]), outcome: 'fail', entries: [tokenInUrl] },
    { name: 'no token at all (AUTH=off)', run: run([kickoff(1, { token: false }), poll(2, { token: false })]), outcome: 'not-exercised', entries: [] },
  ],
  'download.joins-base': [
    { name: 'under the API base', run: run(wholeExport), outcome: 'pass', entries: [] },
    { name: 'resolved against the origin', run: run([...wholeExport.slice(0, 4), wrongPath]), outcome: 'fail', entries: [wrongPath] },
    { name: 'no download', run: run(wholeExport.slice(0, 4)), outcome: 'not-exercised', entries: [] },
  ],
  'download.sends-token': [
    { name: 'token on every download', run: run(wholeExport), outcome: 'pass', entries: [] },
    { name: 'a download without it', run: run([...wholeExport.slice(0, 5), bareDownload]), outcome: 'fail', entries: [bareDownload] },
    {
      name: 'files need no token',
      run: run(wholeExport, { exports: [{ ...EXPORT, requiresAccessToken: false }] }),
      outcome: 'not-exercised',
      entries: [],
    },
  ],
  'download.every-file': [
    { name: 'both files whole', run: run(wholeExport), outcome: 'pass', entries: [] },
    { name: 'the second file only cut short', run: run([...wholeExport.slice(0, 5), cutSecondFile]), outcome: 'fail', entries: [cutSecondFile] },
    { name: 'no files (failed job)', run: run([kickoff(0), failedPoll], { exports: [{ ...EXPORT, files: [] }] }), outcome: 'not-exercised', entries: [] },
    { name: 'no manifest given (the job finished after the client gave up)', run: run(gaveUp), outcome: 'not-exercised', entries: [] },
  ],
  'download.retries-transient': [
    { name: 'retried after 1 s', run: run([...wholeExport.slice(0, 4), refusedDownload, retriedDownload]), outcome: 'pass', entries: [] },
    { name: 'retried after 0.5 s', run: run([...wholeExport.slice(0, 4), refusedDownload, hastyRetry]), outcome: 'fail', entries: [refusedDownload, hastyRetry] },
    { name: 'no 503', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.retries-truncated': [
    { name: 'downloaded again', run: run([...wholeExport.slice(0, 4), cutDownload, retriedDownload]), outcome: 'pass', entries: [] },
    { name: 'kept the cut file', run: run([...wholeExport.slice(0, 4), cutDownload, download(5, F2)]), outcome: 'fail', entries: [cutDownload] },
    { name: 'nothing cut', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.waits-after-429': [
    { name: 'waited, then downloaded again', run: run([...wholeExport.slice(0, 4), throttledDownload, retriedDownload, download(6, F2)]), outcome: 'pass', entries: [] },
    { name: 'retried at once', run: run([...wholeExport.slice(0, 4), throttledDownload, hastyRetry]), outcome: 'fail', entries: [throttledDownload, hastyRetry] },
    { name: 'never 429', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.completes-slow': [
    { name: 'read to its end', run: run([...wholeExport.slice(0, 4), slowWhole]), outcome: 'pass', entries: [] },
    { name: 'gave up on it', run: run([...wholeExport.slice(0, 4), slowAbandoned, retriedDownload]), outcome: 'fail', entries: [slowAbandoned] },
    { name: 'nothing slow', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.read-timeout': [
    { name: 'gave up and downloaded again', run: run([...wholeExport.slice(0, 4), stalledDownload, retriedDownload]), outcome: 'pass', entries: [] },
    { name: 'waited out the stall', run: run([...wholeExport.slice(0, 4), stalledDownload, afterWaitedOut]), outcome: 'fail', entries: [stalledDownload, afterWaitedOut] },
    { name: 'never came back for the file', run: run([...wholeExport.slice(0, 4), stalledDownload]), outcome: 'fail', entries: [stalledDownload] },
    { name: 'nothing stalled', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.checks-count': [
    { name: 'noticed and exited 1', run: run([...wholeExport, download(6, F1)], { exports: [SHORT], exitCode: 1 }), outcome: 'pass', entries: [wholeExport[4]!, download(6, F1)] },
    { name: 'exited 0', run: run(wholeExport, { exports: [SHORT], exitCode: 0 }), outcome: 'fail', entries: [wholeExport[4]!] },
    { name: 'never downloaded the short file', run: run(gaveUp, { exports: [SHORT], exitCode: 1 }), outcome: 'not-exercised', entries: [] },
  ],
  'download.many-files': [
    { name: 'every file', run: run(wholeExport, { exports: [TINY] }), outcome: 'pass', entries: [] },
    { name: 'stopped at the deadline', run: run(wholeExport.slice(0, 5), { exports: [TINY], timedOut: true }), outcome: 'fail', entries: [] },
    { name: 'no manifest given', run: run(gaveUp, { exports: [TINY] }), outcome: 'not-exercised', entries: [] },
  ],
  'download.follows-redirect': [
    { name: 'followed', run: run([...wholeExport.slice(0, 4), redirected, signedBare]), outcome: 'pass', entries: [] },
    { name: 'stopped at the 307', run: run([...wholeExport.slice(0, 4), redirected]), outcome: 'fail', entries: [redirected] },
    { name: 'no redirect', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'download.no-token-to-signed': [
    { name: 'no token there', run: run([...wholeExport.slice(0, 4), redirected, signedBare]), outcome: 'pass', entries: [] },
    { name: 'forwarded the token', run: run([...wholeExport.slice(0, 4), redirected, signedWithToken]), outcome: 'fail', entries: [signedWithToken] },
    { name: 'no signed URL', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
  ],
  'partial.reads-errors': [
    { name: 'read the error file', run: run([...wholeExport.slice(0, 5), errorFile], { exports: [PARTIAL_EXPORT] }), outcome: 'pass', entries: [] },
    { name: 'left it', run: run(wholeExport.slice(0, 5), { exports: [PARTIAL_EXPORT] }), outcome: 'fail', entries: [] },
    { name: 'no error file', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
    { name: 'no manifest given', run: run(gaveUp, { exports: [PARTIAL_EXPORT] }), outcome: 'not-exercised', entries: [] },
  ],
  'expired.does-not-pass': [
    { name: 'started a new export', run: run([...wholeExport.slice(0, 4), expiredDownload, newExport]), outcome: 'pass', entries: [expiredDownload, newExport] },
    { name: 'exited 0 without the files', run: run([...wholeExport.slice(0, 4), expiredDownload], { exitCode: 0 }), outcome: 'fail', entries: [expiredDownload] },
    { name: 'no exit code known (a report)', run: run([...wholeExport.slice(0, 4), expiredDownload]), outcome: 'not-exercised', entries: [] },
  ],
  'data.complete': [
    { name: 'each resource once', run: run(wholeExport, { written: WRITTEN }), outcome: 'pass', entries: [] },
    { name: 'a resource twice', run: run(wholeExport, { written: [...WRITTEN, WRITTEN[0]!] }), outcome: 'fail', entries: [] },
    { name: 'nothing read from the client (a report)', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
    { name: 'no manifest given', run: run(gaveUp, { written: [] }), outcome: 'not-exercised', entries: [] },
    { name: 'files short of their count: no client can write them all', run: run(wholeExport, { exports: [SHORT], written: WRITTEN.slice(1) }), outcome: 'not-exercised', entries: [] },
  ],
  'exit.honest': [
    { name: 'exit 0 with everything', run: run(wholeExport, { exitCode: 0, written: WRITTEN }), outcome: 'pass', entries: [] },
    { name: 'exit 0 with a file missing', run: run(wholeExport.slice(0, 5), { exitCode: 0 }), outcome: 'fail', entries: [] },
    { name: 'no exit code known (a report)', run: run(wholeExport), outcome: 'not-exercised', entries: [] },
    { name: 'exit 0 after giving up before the manifest', run: run(gaveUp, { exitCode: 0, written: [] }), outcome: 'fail', entries: [] },
    { name: 'exit 1 after giving up before the manifest', run: run(gaveUp, { exitCode: 1, written: [] }), outcome: 'pass', entries: [] },
  ],
};

describe('client requirements', () => {
  it('every requirement has its cases, and an id, sentence, source and scenarios', () => {
    expect(Object.keys(CASES).sort()).toEqual(REQUIREMENTS.map((r) => r.id).sort());
    for (const r of REQUIREMENTS) {
      expect(r.sentence, r.id).toMatch(/^[A-Z].*\.$/);
      expect(r.source, r.id).toMatch(/Verto|Bulk Data IG|RFC \d+/);
      expect(r.scenarios === 'all' || r.scenarios.length > 0, r.id).toBe(true);
    }
  });

  for (const requirement of REQUIREMENTS) {
    describe(requirement.id, () => {
      it.each(CASES[requirement.id].map((c) => [c.outcome, c.name, c] as const))('%s: %s', (_o, _n, c) => {
        const result = requirement.check(c.run);
        expect(result.outcome).toBe(c.outcome);
        expect(result.entries).toEqual(c.entries);
        expect(result.reason).toMatch(/^\S.*\.$/);
      });
    });
  }
});

describe('finer points', () => {
  const check = (id: RequirementId, facts: RunFacts) => REQUIREMENTS.find((r) => r.id === id)!.check(facts);

  it('download.every-file names the file missing and shows the attempts at it', () => {
    const attempts = [download(6, F2, { status: 503 }), download(7, F2, { complete: false })];
    const result = check('download.every-file', run([...wholeExport.slice(0, 5), ...attempts]));
    expect(result.reason).toBe(`1 of 2 files were never downloaded to their end, e.g. output file ${F2} (Observation).`);
    expect(result.entries).toEqual(attempts);
  });

  it('poll.honours-retry-after reads a dated Retry-After to within the second the journal rounds it up to', () => {
    const polls = [tokenRequest(0), kickoff(1), poll(2, { retryAfter: 2 }), poll(3)];
    expect(check('poll.honours-retry-after', run(polls)).outcome).toBe('fail');
    expect(check('poll.honours-retry-after', run(polls, { exports: [DATED] })).outcome).toBe('pass');
  });

  it('data.complete counts per type', () => {
    const result = check('data.complete', run(wholeExport, { written: WRITTEN.slice(1) }));
    expect(result).toMatchObject({ outcome: 'fail', reason: '1 Patient resources were written; the export holds 2.' });
  });

  it('exit.honest: a non-zero exit with the whole export fails; a timeout fails; a partial export accepts either', () => {
    expect(check('exit.honest', run(wholeExport, { exitCode: 1 })).outcome).toBe('fail');
    expect(check('exit.honest', run(wholeExport, { exitCode: null, timedOut: true })).outcome).toBe('fail');
    expect(check('exit.honest', run(wholeExport.slice(0, 5), { exitCode: 2 })).outcome).toBe('pass');
    const partial = run([...wholeExport.slice(0, 4), download(4, F1), errorFile], { exports: [PARTIAL_EXPORT] });
    expect(check('exit.honest', { ...partial, exitCode: 0 }).outcome).toBe('pass');
    expect(check('exit.honest', { ...partial, exitCode: 1 }).outcome).toBe('pass');
  });

  it('expired.does-not-pass: a non-zero exit passes, a timeout fails', () => {
    const gone = run([...wholeExport.slice(0, 4), expiredDownload]);
    expect(check('expired.does-not-pass', { ...gone, exitCode: 3 }).outcome).toBe('pass');
    expect(check('expired.does-not-pass', { ...gone, exitCode: null, timedOut: true }).outcome).toBe('fail');
  });

  it('kickoff.waits-after-429: a client that never sends it again has not been tested on waiting', () => {
    expect(check('kickoff.waits-after-429', run([throttled])).outcome).toBe('not-exercised');
  });

  it('auth.renews-token: no new token, or never back to the job, fails', () => {
    expect(check('auth.renews-token', run([kickoff(1), expired])).entries).toEqual([expired]);
    const noReturn = run([kickoff(1), expired, renewal]);
    expect(check('auth.renews-token', noReturn)).toMatchObject({ outcome: 'fail', entries: [expired, renewal] });
  });

  it('download.joins-base holds a download at the right path in the standard profile too', () => {
    expect(check('download.joins-base', { ...run(wholeExport), profile: 'standard' }).outcome).toBe('pass');
    expect(entry(0).path).not.toContain(BASE);
  });
});
