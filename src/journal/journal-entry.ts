// One request as the mock observed it (docs/behaviour.md, "Admin API"): data, not a log line.
// The journal keeps these in a bounded ring; the client requirements are checked against them.
// Kept free of imports beyond types, so the grader and the demo page read the same shape.
import type { ScenarioName } from '../scenarios/catalog.js';

export interface JournalEntry {
  /** When the request arrived: an ISO 8601 instant on the server's clock. */
  at: string;
  method: string;
  /** The path as sent, without its query. */
  path: string;
  /** The query string as sent, without `?`; '' when there is none. */
  query: string;
  status: number;
  /** Milliseconds from the request's arrival to the last byte of the answer (or the connection's end). */
  ms: number;
  /** Bytes of answer body written to the connection (after compression). */
  bytes: number;
  /** Whether the answer's body was sent to its end. */
  complete: boolean;
  /** The export job the request concerns: the poll's or cancel's `_jobId`, a download's job, a kick-off's new job. */
  jobId: string | null;
  /** The file a download concerns. */
  fileId: string | null;
  /** Whether the request carried a bearer token (never the token itself). */
  token: boolean;
  userAgent: string | null;
  /** The simulated fault that shaped the answer, when one did. */
  scenario: ScenarioName | null;
  /** The answer's Retry-After, in seconds (an HTTP-date is turned into seconds), or null. */
  retryAfter: number | null;
}
