// The report on one export (docs/behaviour.md, "Client report"): the requirements that apply to
// its scenarios, checked against the journal entries of that job, with the run's token
// requests and kick-offs around it. No exit code or written files:
// the checks that need them say not-exercised.
import type { JobView } from '../export/job-view.js';
import { fileUrl } from '../export/manifest.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { SCENARIO_NAMES, type ScenarioName } from '../scenarios/catalog.js';
import type { Job, JobFile } from '../store/job-repository.js';
import { applicableRequirements, REQUIREMENTS } from './catalog.js';
import { evaluate, summarise } from './evaluate.js';
import { isKickoff, isTokenRequest } from './journal-reading.js';
import type { ExportFacts, Outcome } from './requirement.js';

export interface ExportReport {
  jobId: string;
  profile: 'verto' | 'standard';
  scenarios: ScenarioName[];
  export: ExportFacts;
  results: { requirement: string; sentence: string; source: string; outcome: Outcome; evidence: { reason: string; entries: JournalEntry[] } }[];
  summary: { pass: number; fail: number; notExercised: number };
}

/** The job as a check sees it: its files only while its client can download them. */
export function exportFacts(job: Pick<Job, 'id' | 'params'>, files: readonly JobFile[], view: JobView, requiresAccessToken: boolean): ExportFacts {
  const downloadable = view.state === 'ready' && !view.filesExpired;
  return {
    jobId: job.id,
    scenarios: [...job.params.scenarios],
    files: downloadable
      ? files.map((f) => ({ id: f.id, type: f.type, count: f.count, kind: f.kind, url: fileUrl(f.id) }))
      : [],
    requiresAccessToken,
  };
}

/**
 * The journal entries that belong to the export's run: its own, downloads of its files at a
 * wrong path (no job found there), the token requests, and every kick-off (refused ones, and
 * a new export that shows the client starting over).
 */
export function entriesOfExport(entries: readonly JournalEntry[], facts: ExportFacts): JournalEntry[] {
  const files = new Set(facts.files.map((f) => f.id));
  return entries.filter(
    (e) =>
      e.jobId === facts.jobId ||
      (e.jobId === null && e.fileId !== null && files.has(e.fileId)) ||
      isTokenRequest(e) ||
      isKickoff(e),
  );
}

export function exportReport(input: {
  profile: 'verto' | 'standard';
  basePath: string;
  facts: ExportFacts;
  entries: readonly JournalEntry[];
}): ExportReport {
  const entries = entriesOfExport(input.entries, input.facts);
  // A refused kick-off's scenario (kickoff-throttled) belongs to the run though no job carries it.
  const seen = new Set<ScenarioName>([...input.facts.scenarios, ...entries.flatMap((e) => (e.scenario ? [e.scenario] : []))]);
  const scenarios = SCENARIO_NAMES.filter((s) => seen.has(s));
  const requirements = applicableRequirements(scenarios);
  const checked = evaluate({ profile: input.profile, basePath: input.basePath, entries, exports: [input.facts] }, requirements);
  const results = checked.map((r) => {
    const requirement = REQUIREMENTS.find((q) => q.id === r.requirement)!;
    return { requirement: r.requirement, sentence: requirement.sentence, source: requirement.source, outcome: r.outcome, evidence: r.evidence };
  });
  return { jobId: input.facts.jobId, profile: input.profile, scenarios, export: input.facts, results, summary: summarise(results) };
}
