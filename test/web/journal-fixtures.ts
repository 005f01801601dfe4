// Journal entries as the server types them, for the demo page's panel tests.
import type { JournalEntry } from '../../src/journal/journal-entry.js';

export const JOB = '0b7d3c1e-5f0a-4c7e-9a51-2f6e1c0d9b11';

/** A poll of JOB answered 202, with `overrides`. */
export function entry(at: string, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    at,
    method: 'GET',
    path: '/api/v1/connect/fhir/$export-poll-status',
    query: `_jobId=${JOB}`,
    status: 202,
    ms: 4,
    bytes: 0,
    complete: true,
    jobId: JOB,
    fileId: null,
    token: true,
    userAgent: 'test-client/1.0',
    scenario: null,
    retryAfter: 1,
    ...overrides,
  };
}
