// A job, and each of its files, is visible only to the user whose token started it; to
// anyone else it does not exist (404, not 403, so ids cannot be probed).
import type { FastifyRequest } from 'fastify';
import { validate as isUuid } from 'uuid';
import type { Clock } from '../clock.js';
import { badRequest, notFound, shown } from '../errors.js';
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

export function visibleJob(jobs: JobRepository, request: FastifyRequest, jobId: string): Job {
  const job = jobs.get(jobId);
  if (!job || (job.owner !== null && job.owner !== request.user)) {
    throw notFound(`No export job ${jobId}.`, '_jobId');
  }
  if (job.status === 'cancelled') throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
  return job;
}

/** Whether a finished job's time is up (its manifest and files then answer 404). */
export function isExpired(job: Job, clock: Clock): boolean {
  return job.expiresAt !== null && job.expiresAt <= clock.now();
}
