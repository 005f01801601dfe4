// The journal's and the report's shapes as the page reads them. The server's own types
// (src/journal/journal-entry.ts, src/conformance/requirement.ts) name a scenario by a type that
// takes in the whole scenario catalog, server code the page's type check does not build; here a
// scenario is its name. test/web/ hands the server's types to the functions that take these, so
// the type check fails if the two drift apart.

export type Outcome = 'pass' | 'fail' | 'not-exercised';

/** One request as the mock observed it (src/journal/journal-entry.ts). */
export interface JournalEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  ms: number;
  bytes: number;
  complete: boolean;
  jobId: string | null;
  fileId: string | null;
  token: boolean;
  userAgent: string | null;
  scenario: string | null;
  retryAfter: number | null;
}

/** A requirement's outcome for one export, with its evidence (src/conformance/requirement.ts). */
export interface RequirementResult {
  requirement: string;
  outcome: Outcome;
  evidence: { reason: string; entries: JournalEntry[] };
}

/** One file of the export, as the report lists it. */
export interface ExportFile {
  id: string;
  type: string;
  count: number;
  kind: 'output' | 'error';
  url: string;
}

export interface ExportFacts {
  jobId: string;
  scenarios: string[];
  files: ExportFile[];
  requiresAccessToken: boolean;
}
