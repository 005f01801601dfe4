// What an export job looks like to its client at a given instant (docs/behaviour.md,
// "Endpoints"): the one answer the poll, the download and the progress report all go by.
// A finished job still shows as in progress until `readyAt`, so a client always sees progress
// first; a failed job shows its failure from then on (even past its expiry, until it is swept);
// a finished job's manifest and files are gone once it expires.
import type { OperationOutcome } from '../fhir/r4.js';
import type { Job } from '../store/job-repository.js';

export type JobView =
  | {
      state: 'in-progress';
      /** Accepted, waiting for a place in the runner. */
      queued: boolean;
      createdAt: number;
      /** When the job will show as done; null until its files are planned. */
      readyAt: number | null;
    }
  | {
      state: 'ready';
      /** When the files expire, as the manifest's Expires tells the client. */
      expiresAt: number;
      /** The files already answer 404 (expired) while the manifest is still shown. */
      filesExpired: boolean;
    }
  | { state: 'failed'; error: OperationOutcome | null }
  | { state: 'expired' }
  /** Cancelled: to its client the job no longer exists. */
  | { state: 'gone' };

export interface ViewAdjustments {
  /** When a job's files expire as its client sees them, if not at the job's own expiry. */
  filesExpireAt?(job: Job): number | undefined;
}

/** Whether a finished job's time is up (its manifest and files then answer 404). */
export function isExpired(job: Pick<Job, 'expiresAt'>, now: number): boolean {
  return job.expiresAt !== null && job.expiresAt <= now;
}

export function jobView(job: Job, now: number, adjust: ViewAdjustments = {}): JobView {
  if (job.status === 'cancelled') return { state: 'gone' };
  const ready = job.readyAt !== null && now >= job.readyAt;
  if (job.status === 'failed' && ready) return { state: 'failed', error: job.error };
  if (isExpired(job, now)) return { state: 'expired' };
  if (!ready || job.status !== 'completed') {
    return { state: 'in-progress', queued: job.status === 'accepted', createdAt: job.createdAt, readyAt: job.readyAt };
  }
  const expiresAt = adjust.filesExpireAt?.(job) ?? job.expiresAt!;
  return { state: 'ready', expiresAt, filesExpired: expiresAt <= now };
}
