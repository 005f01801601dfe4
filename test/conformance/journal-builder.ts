// Hand-written journals for the requirement checks: entries at whole seconds after T0, with the
// fields a check reads, and the export they concern.
import type { ExportFacts, RunFacts } from '../../src/conformance/requirement.js';
import type { JournalEntry } from '../../src/journal/journal-entry.js';

export const BASE = '/api/v1/connect';
const T0 = Date.UTC(2026, 2, 1);
export const JOB = '11111111-1111-4111-8111-111111111111';
export const JOB2 = '22222222-2222-4222-8222-222222222222';
export const F1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const F2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const ERR = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';

export const entry = (second: number, fields: Partial<JournalEntry> = {}): JournalEntry => ({
  at: new Date(T0 + second * 1000).toISOString(),
  method: 'GET',
  path: '/health',
  query: '',
  status: 200,
  ms: 1,
  bytes: 0,
  complete: true,
  jobId: null,
  fileId: null,
  token: true,
  userAgent: 'client/1',
  scenario: null,
  retryAfter: null,
  ...fields,
});

export const tokenRequest = (s: number, fields: Partial<JournalEntry> = {}) =>
  entry(s, { method: 'POST', path: '/oauth/token', token: false, bytes: 120, ...fields });
export const kickoff = (s: number, fields: Partial<JournalEntry> = {}) =>
  entry(s, { path: `${BASE}/fhir/$export`, query: '_type=Patient,Observation', status: 202, jobId: JOB, bytes: 300, ...fields });
export const poll = (s: number, fields: Partial<JournalEntry> = {}) =>
  entry(s, { path: `${BASE}/fhir/$export-poll-status`, query: `_jobId=${fields.jobId ?? JOB}`, jobId: JOB, status: 202, retryAfter: 1, ...fields });
export const download = (s: number, fileId: string, fields: Partial<JournalEntry> = {}) =>
  entry(s, { path: `${BASE}/file/${fileId}/download`, jobId: JOB, fileId, bytes: 2000, ...fields });

export const EXPORT: ExportFacts = {
  jobId: JOB,
  scenarios: [],
  files: [
    { id: F1, type: 'Patient', count: 2, kind: 'output', url: `/file/${F1}/download` },
    { id: F2, type: 'Observation', count: 3, kind: 'output', url: `/file/${F2}/download` },
  ],
  requiresAccessToken: true,
};

export const PARTIAL_EXPORT: ExportFacts = {
  ...EXPORT,
  scenarios: ['partial'],
  files: [EXPORT.files[0]!, { id: ERR, type: 'OperationOutcome', count: 1, kind: 'error', url: `/file/${ERR}/download` }],
};

export const run = (entries: JournalEntry[], extra: Partial<RunFacts> = {}): RunFacts => ({
  profile: 'verto',
  basePath: BASE,
  entries,
  exports: [EXPORT],
  ...extra,
});

/** The resources of EXPORT, as a client that wrote them all would have. */
export const WRITTEN = [
  { resourceType: 'Patient', id: 'p1' },
  { resourceType: 'Patient', id: 'p2' },
  { resourceType: 'Observation', id: 'o1' },
  { resourceType: 'Observation', id: 'o2' },
  { resourceType: 'Observation', id: 'o3' },
];
