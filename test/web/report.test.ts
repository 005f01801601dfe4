// The demo page's view of an export's report: results typed as the server types them (the
// page's mirror of the shape must accept them), made ready to show.
import { describe, expect, it } from 'vitest';
import type { RequirementResult } from '../../src/conformance/requirement.js';
import {
  evidenceLines,
  MAX_EVIDENCE,
  orderedResults,
  OUTCOME_LABELS,
  scenariosLine,
  summaryLine,
  type ReportResult,
} from '../../web/src/report.js';
import { entry, JOB } from './journal-fixtures.js';

const FIRST = '2026-03-01T00:00:00.000Z';

function result(requirement: string, outcome: RequirementResult['outcome'], entries: RequirementResult['evidence']['entries'] = []): ReportResult {
  const server: RequirementResult = { requirement, outcome, evidence: { reason: `${requirement} was ${outcome}.`, entries } };
  return { ...server, sentence: `The client meets ${requirement}.`, source: 'Bulk Data IG 2.0.0' };
}

describe('the export report on the demo page', () => {
  it('labels each outcome, a failure in capitals', () => {
    expect(OUTCOME_LABELS).toEqual({ pass: 'pass', fail: 'FAIL', 'not-exercised': 'not exercised' });
  });

  it('sums the outcomes up in one line and names the scenarios', () => {
    expect(summaryLine({ pass: 5, fail: 1, notExercised: 2 })).toBe('5 pass · 1 fail · 2 not exercised');
    expect(scenariosLine(['slow', 'download-error'])).toBe('slow, download-error');
    expect(scenariosLine([])).toBe('no simulated fault');
  });

  it('lists failures first, then passes, then what the client never got to, each group in catalog order', () => {
    const results = [
      result('kickoff.waits-after-429', 'not-exercised'),
      result('poll.honours-retry-after', 'pass'),
      result('download.every-file', 'fail'),
      result('download.sends-token', 'pass'),
      result('exit.honest', 'not-exercised'),
      result('download.retries-truncated', 'fail'),
    ];
    expect(orderedResults(results).map((r) => r.requirement)).toEqual([
      'download.every-file',
      'download.retries-truncated',
      'poll.honours-retry-after',
      'download.sends-token',
      'kickoff.waits-after-429',
      'exit.honest',
    ]);
  });

  it('writes the evidence as requests at their offset in the timeline, a cut body said so', () => {
    const poll = entry('2026-03-01T00:00:01.250Z', { status: 503 });
    const cut = entry('2026-03-01T00:00:02.000Z', { path: '/api/v1/connect/file/f-1/download', query: '', status: 200, complete: false });
    expect(evidenceLines(result('poll.retries-transient', 'fail', [poll, cut]), FIRST)).toEqual([
      `+1.25 s GET /api/v1/connect/fhir/$export-poll-status?_jobId=${JOB} → 503`,
      '+2.00 s GET /api/v1/connect/file/f-1/download → 200 (cut)',
    ]);
    // Without a timeline to count from, the instant itself.
    expect(evidenceLines(result('poll.retries-transient', 'fail', [poll]), null)).toEqual([
      `2026-03-01T00:00:01.250Z GET /api/v1/connect/fhir/$export-poll-status?_jobId=${JOB} → 503`,
    ]);
  });

  it('lists a few requests of the evidence and counts the rest', () => {
    const polls = Array.from({ length: MAX_EVIDENCE + 2 }, (_, i) => entry(`2026-03-01T00:00:0${i}.000Z`, { status: 429 }));
    const lines = evidenceLines(result('poll.honours-retry-after', 'fail', polls), FIRST);
    expect(lines).toHaveLength(MAX_EVIDENCE + 1);
    expect(lines[0]).toBe(`+0.00 s GET /api/v1/connect/fhir/$export-poll-status?_jobId=${JOB} → 429`);
    expect(lines.at(-1)).toBe('and 2 more');
    expect(evidenceLines(result('exit.honest', 'not-exercised'), FIRST)).toEqual([]);
  });
});
