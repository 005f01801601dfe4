// What a bulk export client must do, checked against what the mock observed of it
// (docs/grading.md). A requirement is one module: a stable id, one sentence, where the rule
// comes from, and a check that reads only the run's facts (the journal, the exports' files,
// and, when a grader ran the client, its exit code and the resources it wrote).
import type { JournalEntry } from '../journal/journal-entry.js';
import type { ScenarioName } from '../scenarios/catalog.js';

export type Outcome = 'pass' | 'fail' | 'not-exercised';

/** One file of an export's manifest, as a check needs it. */
export interface ExportFile {
  id: string;
  type: string;
  count: number;
  /** `output` for data, `error` for the manifest's error files (OperationOutcomes). */
  kind: 'output' | 'error';
  /** The file's `url` as the manifest gives it (relative to the API base). */
  url: string;
}

/** One export job of the run, as the server knows it. */
export interface ExportFacts {
  jobId: string;
  scenarios: ScenarioName[];
  /** Empty until the job is ready (and for a failed job). */
  files: ExportFile[];
  requiresAccessToken: boolean;
}

/** Everything a check may read. */
export interface RunFacts {
  profile: 'verto' | 'standard';
  /** The API base path (BASE_PATH), e.g. `/api/v1/connect`. */
  basePath: string;
  /** The journal entries of the run, oldest first. */
  entries: JournalEntry[];
  exports: ExportFacts[];
  /** The client's exit code; undefined when no grader ran the client (the per-export report). */
  exitCode?: number | null;
  /** True when the grader killed the client at its deadline. */
  timedOut?: boolean;
  /** What the client wrote into its output folder, when a grader ran it: every NDJSON line's type and id. */
  written?: { resourceType: string; id: string }[];
}

export interface CheckResult {
  outcome: Outcome;
  /** Why, in one sentence a team can act on. */
  reason: string;
  /** The journal entries that show it (empty when none do). */
  entries: JournalEntry[];
}

export interface Requirement<Id extends string = string> {
  readonly id: Id;
  /** One sentence: what the client must do. */
  readonly sentence: string;
  /** Where the rule comes from: Verto's documentation, a Bulk Data IG section, an RFC section. */
  readonly source: string;
  /** The scenarios that exercise it; `all` for a requirement every run exercises. */
  readonly scenarios: readonly ScenarioName[] | 'all';
  check(run: RunFacts): CheckResult;
}

export interface RequirementResult {
  requirement: string;
  outcome: Outcome;
  evidence: { reason: string; entries: JournalEntry[] };
}
