// GET|DELETE {BASE}/fhir/$export-poll-status?_jobId=<uuid> (docs/behaviour.md, "Endpoints", poll and cancel):
// 202 with X-Progress and Retry-After while running, 200 with the manifest when done,
// 404 for unknown, cancelled or expired jobs, 500 for failed ones; the job's simulated faults
// act through their poll hooks (src/scenarios/).
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors.js';
import { isExpired } from '../export/job-view.js';
import { buildManifest } from '../export/manifest.js';
import { pollProgress } from '../export/progress.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { requestOrigin } from '../http/origin.js';
import { noteScenario } from '../journal/request-notes.js';
import { faultStateOf } from '../scenarios/active.js';
import { checkAccess, logAbout, parseJobId, visibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

export default async function exportStatusRoutes(app: FastifyInstance) {
  const settings = app.config.scenarios;

  routeMethods(app, '/fhir/$export-poll-status', {
    GET: {
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query);
        const { jobs } = app.store.repos();
        const now = app.clock.now();
        const seen = visibleJob(jobs, request, jobId, { now, settings });
        logAbout(request, reply, { jobId });
        checkAccess(jobs, request, seen);
        const { job, view, scenarios } = seen;
        const faults = { job, now, state: faultStateOf(jobs, job) };
        scenarios.poll(faults);
        switch (view.state) {
          case 'failed':
            if (scenarios.failedBy) noteScenario(request, scenarios.failedBy);
            throw new HttpError(500, view.error ?? operationOutcome('fatal', 'exception', `Export job ${jobId} failed.`));
          case 'gone': // cancelled: visibleJob has answered already
            throw notFound(`Export job ${jobId} was cancelled.`, '_jobId');
          case 'expired':
            throw notFound(`Export job ${jobId} has expired; its files are gone. Start a new export.`, '_jobId');
          case 'in-progress': {
            const { text, retryAfter } = scenarios.progress(pollProgress(view, now, app.jobRunner.progressOf(jobId)));
            scenarios.pollAnswered(faults, retryAfter);
            return reply.code(202).header('x-progress', text).header('retry-after', scenarios.retryAfter(retryAfter, now)).send();
          }
          case 'ready': {
            if (scenarios.manifestShapedBy) noteScenario(request, scenarios.manifestShapedBy);
            const urlBase = app.config.profile === 'standard' ? requestOrigin(request, app.config) + app.config.basePath : '';
            const manifest = scenarios.manifest(buildManifest(job, jobs.files(jobId), app.config.auth.enabled, urlBase), { job, now, urlBase });
            return reply.code(200).header('expires', new Date(view.expiresAt).toUTCString()).type('application/json').send(manifest);
          }
        }
      },
    },
    DELETE: {
      handler: async (request, reply) => {
        const jobId = parseJobId(request.query);
        const { jobs } = app.store.repos();
        const now = app.clock.now();
        const seen = visibleJob(jobs, request, jobId, { now, settings });
        logAbout(request, reply, { jobId });
        checkAccess(jobs, request, seen);
        // Checked on the job itself: a failed job past its expiry is gone too, though its poll still says why it failed.
        if (isExpired(seen.job, now)) throw notFound(`Export job ${jobId} has expired; its files are gone.`, '_jobId');
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
