// GET|DELETE {BASE}/fhir/$export-poll-status?_jobId=<uuid> (CONTRACT.md, poll and cancel rows):
// 202 with X-Progress and Retry-After while running, 200 with the manifest when done,
// 404 for unknown, cancelled or expired jobs, 500 for failed ones.
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors.js';
import { buildManifest } from '../export/manifest.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import type { Job } from '../store/job-repository.js';
import { isExpired, parseJobId, visibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

type Query = Record<string, string | string[] | undefined>;

export default async function exportStatusRoutes(app: FastifyInstance) {
  const progress = (job: Job, now: number): { text: string; retryAfter: number } => {
    if (job.status === 'accepted') return { text: 'queued', retryAfter: 1 };
    const planned = app.jobRunner.progressOf(job.id);
    if (job.status === 'in-progress' || job.readyAt === null) {
      const text = planned ? `in progress: ${planned.done} of ${planned.total} types exported` : 'in progress';
      return { text, retryAfter: 1 };
    }
    // Completed, but not before the minimum job duration: show time-based progress.
    const span = Math.max(1, job.readyAt - job.createdAt);
    const percent = Math.min(99, Math.floor(((now - job.createdAt) / span) * 100));
    return { text: `in progress: ${percent}% complete`, retryAfter: Math.max(1, Math.ceil((job.readyAt - now) / 1000)) };
  };

  routeMethods(app, '/fhir/$export-poll-status', {
    GET: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query as Query);
        const { jobs } = app.store.repos();
        const job = visibleJob(jobs, request, jobId);
        const now = app.clock.now();
        if (job.status === 'failed') {
          throw new HttpError(500, job.error ?? operationOutcome('fatal', 'exception', `Export job ${jobId} failed.`));
        }
        if (isExpired(job, app.clock)) {
          throw notFound(`Export job ${jobId} has expired; its files are gone. Start a new export.`, '_jobId');
        }
        if (job.status !== 'completed' || job.readyAt === null || now < job.readyAt) {
          const { text, retryAfter } = progress(job, now);
          return reply.code(202).header('x-progress', text).header('retry-after', String(retryAfter)).send();
        }
        const manifest = buildManifest(job, jobs.files(jobId), app.config.auth.enabled);
        return reply
          .code(200)
          .header('expires', new Date(job.expiresAt!).toUTCString())
          .type('application/json')
          .send(manifest);
      },
    },
    DELETE: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query as Query);
        const { jobs } = app.store.repos();
        visibleJob(jobs, request, jobId);
        if (!jobs.cancel(jobId)) throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
        request.log.info({ jobId }, 'export job cancelled');
        return reply
          .code(202)
          .type('application/fhir+json')
          .send(operationOutcome('information', 'informational', `Export job ${jobId} was cancelled; its files are deleted.`));
      },
    },
  });
}
