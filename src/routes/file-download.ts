// GET {BASE}/file/<uuid>/download (docs/behaviour.md, "Endpoints", download): the file's rows streamed as
// NDJSON straight from SQLite. A file is reachable only through its own, visible, unexpired job.
import type { FastifyInstance } from 'fastify';
import { validate as isUuid } from 'uuid';
import { assertTypeAllowed } from '../auth/scope-guard.js';
import { badRequest, notFound, shown } from '../errors.js';
import { fileBody } from '../export/file-reader.js';
import { noteScenario } from '../journal/request-notes.js';
import { faultStateOf } from '../scenarios/active.js';
import { checkAccess, logAbout, visibleJob, type VisibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

/** The file id from the path, as the router matched it. */
function fileIdOf(params: unknown): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).fileId : undefined;
  return typeof value === 'string' ? value : '';
}

export default async function fileDownloadRoutes(app: FastifyInstance) {
  const settings = app.config.scenarios;

  routeMethods(app, '/file/:fileId/download', {
    GET: {
      handler: async (request, reply) => {
        const fileId = fileIdOf(request.params);
        if (!isUuid(fileId)) throw badRequest(`"${shown(fileId)}" is not a file id (a UUID).`, 'fileId');
        const { jobs, resources } = app.store.repos();
        const file = jobs.file(fileId.toLowerCase());
        const gone = () => notFound(`No file ${fileId}.`, 'fileId');
        if (!file) throw gone();
        let seen: VisibleJob;
        try {
          seen = visibleJob(jobs, request, file.jobId, { now: app.clock.now(), settings });
        } catch {
          throw gone();
        }
        const { job, view, scenarios } = seen;
        logAbout(request, reply, { jobId: job.id, fileId: file.id });
        checkAccess(jobs, request, seen);
        if (view.state !== 'ready' && view.state !== 'expired') throw gone();
        assertTypeAllowed(request, file.type);
        if (view.state === 'ready' && view.filesExpired && scenarios.filesExpiredBy) noteScenario(request, scenarios.filesExpiredBy);
        if (view.state === 'expired' || view.filesExpired) throw notFound(`File ${fileId} has expired with its export job.`, 'fileId');
        const filter = scenarios.download({ request, reply, job, file, state: faultStateOf(jobs, job) });

        reply.type('application/fhir+ndjson').header('cache-control', 'private, no-store');
        const body = fileBody(resources, job.params.selection, file);
        return reply.send(filter ? filter(body) : body);
      },
    },
  });
}
