// A job, and each of its files, is visible only to the user whose token started it; to
// anyone else it does not exist (404, not 403, so ids cannot be probed).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validate as isUuid } from 'uuid';
import { badRequest, notFound, shown } from '../errors.js';
import { jobView, type JobView } from '../export/job-view.js';
import { noteJob } from '../journal/request-notes.js';
import { activeScenarios, faultStateOf, type ActiveScenarios } from '../scenarios/active.js';
import type { ScenarioSettings } from '../scenarios/scenario.js';
import type { Job, JobRepository } from '../store/job-repository.js';

/** The poll's and cancel's query string: `_jobId`, read from whatever the client sent. */
export function parseJobId(query: unknown): string {
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)._jobId : undefined;
  if (value === undefined || value === '') {
    throw badRequest('The _jobId parameter is required: use the Content-Location URL the kick-off returned.', '_jobId');
  }
  if (Array.isArray(value)) throw badRequest('_jobId must be given once.', '_jobId');
  if (typeof value !== 'string' || !isUuid(value)) throw badRequest(`_jobId "${shown(String(value))}" is not a job id (a UUID).`, '_jobId');
  return value.toLowerCase();
}

/** Puts `jobId` (and more) on the rest of this request's log lines, its "request completed" among them. */
export function logAbout(request: FastifyRequest, reply: FastifyReply, fields: { jobId: string; fileId?: string }): void {
  noteJob(request, fields.jobId, fields.fileId);
  request.log = request.log.child(fields);
  reply.log = request.log;
}

export interface VisibleJob {
  job: Job;
  /** What the job looks like to its client now. */
  view: JobView;
  /** The simulated faults that apply to it. */
  scenarios: ActiveScenarios;
}

/** The job as its owner sees it now; 404 for anyone else, and once it is cancelled. */
export function visibleJob(
  jobs: JobRepository,
  request: FastifyRequest,
  jobId: string,
  { now, settings }: { now: number; settings: ScenarioSettings },
): VisibleJob {
  const job = jobs.get(jobId);
  if (!job || (job.owner !== null && job.owner !== request.user)) {
    throw notFound(`No export job ${jobId}.`, '_jobId');
  }
  const scenarios = activeScenarios(job.params.scenarios, settings);
  const view = jobView(job, now, scenarios);
  if (view.state === 'gone') throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
  return { job, view, scenarios };
}

/** The job's scenarios have their say on a request about it (e.g. `token-expires` answers 401). */
export function checkAccess(jobs: JobRepository, request: FastifyRequest, { job, scenarios }: VisibleJob): void {
  scenarios.access({ job, tokenHash: request.tokenHash, state: faultStateOf(jobs, job) });
}
