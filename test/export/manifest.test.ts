// The manifest a completed export's poll answers with.
import { describe, expect, it } from 'vitest';
import { buildManifest, fileUrl } from '../../src/export/manifest.js';
import type { JobFile } from '../../src/store/job-repository.js';

const job = {
  transactionTime: '2026-03-01T00:00:00.000Z',
  request: 'http://localhost/api/v1/connect/fhir/$export?_type=Patient,Condition',
};

const file = (id: string, kind: JobFile['kind'], type: string, seq: number, count: number): JobFile => ({
  id,
  jobId: 'j1',
  kind,
  seq,
  type,
  ridFrom: kind === 'output' ? 1 : null,
  ridTo: kind === 'output' ? count : null,
  count,
  content: kind === 'error' ? '{}\n' : null,
});

const files = [
  file('e0', 'error', 'OperationOutcome', 0, 2),
  file('c0', 'output', 'Condition', 2, 5),
  file('p1', 'output', 'Patient', 1, 3),
  file('p0', 'output', 'Patient', 0, 250),
];

describe('buildManifest', () => {
  it('lists output files in plan order, then error files, with urls relative to the API base', () => {
    expect(buildManifest(job, files, true)).toEqual({
      transactionTime: job.transactionTime,
      request: job.request,
      requiresAccessToken: true,
      output: [
        { type: 'Patient', url: '/file/p0/download', count: 250 },
        { type: 'Patient', url: '/file/p1/download', count: 3 },
        { type: 'Condition', url: '/file/c0/download', count: 5 },
      ],
      error: [{ type: 'OperationOutcome', url: '/file/e0/download', count: 2 }],
    });
  });

  it('prefixes the urls with the base in the standard profile, and says whether a token is needed', () => {
    const manifest = buildManifest(job, files.slice(3), false, 'https://mock.example/api/v1/connect');
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.output).toEqual([{ type: 'Patient', url: 'https://mock.example/api/v1/connect/file/p0/download', count: 250 }]);
    expect(manifest.error).toEqual([]);
  });

  it('has empty output and error lists for an export with nothing in it', () => {
    expect(buildManifest(job, [], true)).toMatchObject({ output: [], error: [] });
  });

  it("leaves the caller's list of files in its order", () => {
    const given = [...files];
    buildManifest(job, given, true);
    expect(given).toEqual(files);
  });
});

describe('fileUrl', () => {
  it('is the download path of a file id', () => {
    expect(fileUrl('abc')).toBe('/file/abc/download');
  });
});
