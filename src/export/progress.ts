// What a poll of an unfinished job says: X-Progress (under 100 characters) and Retry-After
// (whole seconds). Once a job's files are planned it is "ready" at readyAt; until then the
// progress is the elapsed share of its duration, and Retry-After steps through it in about
// five polls, so a slow job shows its progress advance.
import type { ExportProgress } from './export-job.js';
import type { JobView } from './job-view.js';

export interface Progress {
  text: string;
  retryAfter: number;
}

const POLLS_PER_JOB = 5;

/** `planned`: how many of its types a running job has planned so far, when the runner knows. */
export function pollProgress(view: Extract<JobView, { state: 'in-progress' }>, now: number, planned?: ExportProgress): Progress {
  if (view.queued) return { text: 'queued', retryAfter: 1 };
  if (view.readyAt === null) {
    return { text: planned ? `in progress: ${planned.done} of ${planned.total} types exported` : 'in progress', retryAfter: 1 };
  }
  const span = Math.max(1, view.readyAt - view.createdAt);
  const percent = Math.max(0, Math.min(99, Math.floor(((now - view.createdAt) / span) * 100)));
  const remaining = Math.max(1, Math.ceil((view.readyAt - now) / 1000));
  const step = Math.max(1, Math.ceil(span / POLLS_PER_JOB / 1000));
  return { text: `in progress: ${percent}% complete`, retryAfter: Math.min(remaining, step) };
}
