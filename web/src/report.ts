// Step 6: what the export's report says, made ready to show. Pure (no DOM), tested without a
// browser. The report is the server's answer to GET /_mock/exports/<jobId>/report.
import type { ExportFacts, Outcome, RequirementResult } from './journal-shapes.js';
import { formatOffset, requestTarget } from './timeline.js';

export interface ReportResult extends RequirementResult {
  sentence: string;
  source: string;
}

export interface ExportReport {
  jobId: string;
  profile: 'verto' | 'standard';
  scenarios: string[];
  export: ExportFacts;
  results: ReportResult[];
  summary: { pass: number; fail: number; notExercised: number };
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  pass: 'pass',
  fail: 'FAIL',
  'not-exercised': 'not exercised',
};

/** `2 pass · 1 fail · 3 not exercised`. */
export function summaryLine(summary: ExportReport['summary']): string {
  return `${summary.pass} pass · ${summary.fail} fail · ${summary.notExercised} not exercised`;
}

export function scenariosLine(scenarios: readonly string[]): string {
  return scenarios.length === 0 ? 'no simulated fault' : scenarios.join(', ');
}

/** At most this many journal entries are listed under a result; the rest are counted. */
export const MAX_EVIDENCE = 3;

/**
 * The evidence of a result as lines such as `+1.25 s GET /path?query → 503`, with offsets from
 * the timeline's first request (`firstAt`), so a line can be found in the timeline above it.
 */
export function evidenceLines(result: RequirementResult, firstAt: string | null): string[] {
  const t0 = firstAt === null ? null : Date.parse(firstAt);
  const lines = result.evidence.entries.slice(0, MAX_EVIDENCE).map((e) => {
    const at = t0 === null ? e.at : formatOffset(Date.parse(e.at) - t0);
    return `${at} ${e.method} ${requestTarget(e)} → ${e.status}${e.complete ? '' : ' (cut)'}`;
  });
  const more = result.evidence.entries.length - MAX_EVIDENCE;
  if (more > 0) lines.push(`and ${more} more`);
  return lines;
}

/** Failures first, then passes, then what the client never got to: the order a reader wants. */
const ORDER: Record<Outcome, number> = { fail: 0, pass: 1, 'not-exercised': 2 };

export function orderedResults(results: readonly ReportResult[]): ReportResult[] {
  return [...results].sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome]);
}
