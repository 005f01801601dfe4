// The completed export's manifest (CONTRACT.md, "Manifest"): output entries ordered by type
// as requested, then by file; `url` relative to the API base, as Verto's docs show it.
import type { Job, JobFile } from '../store/job-repository.js';

export interface ManifestEntry {
  type: string;
  url: string;
  count: number;
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: ManifestEntry[];
  error: ManifestEntry[];
}

export const fileUrl = (fileId: string): string => `/file/${fileId}/download`;

export function buildManifest(job: Job, files: readonly JobFile[], requiresAccessToken: boolean): Manifest {
  const entry = (f: JobFile): ManifestEntry => ({ type: f.type, url: fileUrl(f.id), count: f.count });
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    requiresAccessToken,
    output: files.filter((f) => f.kind === 'output').sort((a, b) => a.seq - b.seq).map(entry),
    error: files.filter((f) => f.kind === 'error').sort((a, b) => a.seq - b.seq).map(entry),
  };
}
