// GET|DELETE {BASE}/fhir/$export-poll-status?_jobId=<uuid> (docs/behaviour.md, "Endpoints", poll and cancel):
// 202 with X-Progress and Retry-After while running, 200 with the manifest when done,
// 404 for unknown, cancelled or expired jobs, 500 for failed ones; plus the poll-side
// simulated faults (poll-transient, poll-too-fast, job-fails, files-expired).
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound, serviceUnavailable, tooManyRequests } from '../errors.js';
import { buildManifest } from '../export/manifest.js';
import { pollProgress } from '../export/progress.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { requestOrigin } from '../http/origin.js';
import { TRANSIENT_RETRY_AFTER_SECONDS } from '../scenarios/catalog.js';
import { assertTokenWorksFor, isExpired, logAbout, parseJobId, visibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

type Query = Record<string, string | string[] | undefined>;

export default async function exportStatusRoutes(app: FastifyInstance) {
  routeMethods(app, '/fhir/$export-poll-status', {
    GET: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query as Query);
        const { jobs } = app.store.repos();
        const job = visibleJob(jobs, request, jobId);
        logAbout(request, reply, { jobId });
        assertTokenWorksFor(job, request);
        const now = app.clock.now();
        const scenarios = new Set(job.params.scenarios);
        const rateLimited = app.config.scenarios.pollRateLimit || scenarios.has('poll-too-fast');

        if (rateLimited && job.faultState.nextPollAt !== undefined && now < job.faultState.nextPollAt) {
          const wait = Math.ceil((job.faultState.nextPollAt - now) / 1000);
          throw tooManyRequests(`Polled too soon: the last answer asked for Retry-After; wait ${wait} s more.`, wait);
        }
        if (scenarios.has('poll-transient') && !job.faultState.transientPollServed) {
          jobs.updateFaultState(jobId, (s) => (s.transientPollServed = true));
          throw serviceUnavailable(
            'The export status is briefly unavailable (simulated by the "poll-transient" scenario); poll again after Retry-After.',
            TRANSIENT_RETRY_AFTER_SECONDS,
          );
        }
        const ready = job.readyAt !== null && now >= job.readyAt;
        if (job.status === 'failed' && ready) {
          throw new HttpError(500, job.error ?? operationOutcome('fatal', 'exception', `Export job ${jobId} failed.`));
        }
        if (isExpired(job, app.clock)) {
          throw notFound(`Export job ${jobId} has expired; its files are gone. Start a new export.`, '_jobId');
        }
        if (!ready) {
          const { text, retryAfter } = pollProgress(job, now, app.jobRunner.progressOf(jobId));
          if (rateLimited) jobs.updateFaultState(jobId, (s) => (s.nextPollAt = now + retryAfter * 1000));
          return reply.code(202).header('x-progress', text).header('retry-after', String(retryAfter)).send();
        }
        // files-expired shows a manifest whose files are gone: Expires in the past.
        const expires = scenarios.has('files-expired') ? job.readyAt! - 1000 : job.expiresAt!;
        const urlBase = app.config.profile === 'standard' ? requestOrigin(request, app.config) + app.config.basePath : '';
        const manifest = buildManifest(job, jobs.files(jobId), app.config.auth.enabled, urlBase);
        return reply.code(200).header('expires', new Date(expires).toUTCString()).type('application/json').send(manifest);
      },
    },
    DELETE: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query as Query);
        const { jobs } = app.store.repos();
        const job = visibleJob(jobs, request, jobId);
        logAbout(request, reply, { jobId });
        assertTokenWorksFor(job, request);
        if (isExpired(job, app.clock)) throw notFound(`Export job ${jobId} has expired; its files are gone.`, '_jobId');
        if (!jobs.cancel(jobId)) throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
        app.jobRunner.unqueue(jobId);
        request.log.info('export job cancelled');
        return reply
          .code(202)
          .type('application/fhir+json')
          .send(operationOutcome('information', 'informational', `Export job ${jobId} was cancelled; its files are deleted.`));
      },
    },
  });
}
