// The completed export's manifest (docs/behaviour.md, "Manifest"): output entries ordered by type
// as requested, then by file; `url` relative to the API base, as Verto's docs show it.
import type { Job, JobFile } from '../store/job-repository.js';
import type { Manifest, ManifestEntry } from './manifest-shape.js';

export const fileUrl = (fileId: string): string => `/file/${fileId}/download`;

/**
 * `urlBase` is prepended to each file's url: '' in the Verto profile (urls relative to
 * {origin}{BASE}, as Verto shows them), `{origin}{BASE}` in the standard profile (absolute).
 */
export function buildManifest(job: Pick<Job, 'transactionTime' | 'request'>, files: readonly JobFile[], requiresAccessToken: boolean, urlBase = ''): Manifest {
  const entry = (f: JobFile): ManifestEntry => ({ type: f.type, url: urlBase + fileUrl(f.id), count: f.count });
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    requiresAccessToken,
    output: files.filter((f) => f.kind === 'output').sort((a, b) => a.seq - b.seq).map(entry),
    error: files.filter((f) => f.kind === 'error').sort((a, b) => a.seq - b.seq).map(entry),
  };
}
