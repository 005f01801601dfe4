// A job, and each of its files, is visible only to the user whose token started it; to
// anyone else it does not exist (404, not 403, so ids cannot be probed).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validate as isUuid } from 'uuid';
import type { Clock } from '../clock.js';
import { badRequest, notFound, shown, unauthorized } from '../errors.js';
import type { Job, JobRepository } from '../store/job-repository.js';

export function parseJobId(query: Record<string, string | string[] | undefined>): string {
  const value = query._jobId;
  if (value === undefined || value === '') {
    throw badRequest('The _jobId parameter is required: use the Content-Location URL the kick-off returned.', '_jobId');
  }
  if (Array.isArray(value)) throw badRequest('_jobId must be given once.', '_jobId');
  if (!isUuid(value)) throw badRequest(`_jobId "${shown(value)}" is not a job id (a UUID).`, '_jobId');
  return value.toLowerCase();
}

/** Puts `jobId` (and more) on the rest of this request's log lines, its "request completed" among them. */
export function logAbout(request: FastifyRequest, reply: FastifyReply, fields: { jobId: string; fileId?: string }): void {
  request.log = request.log.child(fields);
  reply.log = request.log;
}

export function visibleJob(jobs: JobRepository, request: FastifyRequest, jobId: string): Job {
  const job = jobs.get(jobId);
  if (!job || (job.owner !== null && job.owner !== request.user)) {
    throw notFound(`No export job ${jobId}.`, '_jobId');
  }
  if (job.status === 'cancelled') throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
  return job;
}

/**
 * `token-expires`: the token that started the job answers 401 for this job's poll, cancel and
 * downloads, as an expired token would; it still works everywhere else, so a faulted job
 * leaves the jobs beside it alone.
 */
export function assertTokenWorksFor(job: Job, request: FastifyRequest): void {
  if (job.faultState.expiredToken !== undefined && job.faultState.expiredToken === request.tokenHash) {
    throw unauthorized('The access token has expired; get a new one from POST /oauth/token.');
  }
}

/** Whether a finished job's time is up (its manifest and files then answer 404). */
export function isExpired(job: Job, clock: Clock): boolean {
  return job.expiresAt !== null && job.expiresAt <= clock.now();
}
