// GET {BASE}/file/<uuid>/download (docs/behaviour.md, "Endpoints", download): the file's rows streamed as
// NDJSON straight from SQLite. A file is reachable only through its own, visible, unexpired job.
import type { FastifyInstance } from 'fastify';
import { validate as isUuid } from 'uuid';
import { assertTypeAllowed } from '../auth/scope-guard.js';
import { badRequest, notFound, serviceUnavailable, shown } from '../errors.js';
import { fileBody } from '../export/file-reader.js';
import { TRANSIENT_RETRY_AFTER_SECONDS } from '../scenarios/catalog.js';
import { negotiatedEncoding, truncatedBody } from '../scenarios/truncated-download.js';
import { assertTokenWorksFor, isExpired, logAbout, visibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

export default async function fileDownloadRoutes(app: FastifyInstance) {
  routeMethods(app, '/file/:fileId/download', {
    GET: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const { fileId } = request.params as { fileId: string };
        if (!isUuid(fileId)) throw badRequest(`"${shown(fileId)}" is not a file id (a UUID).`, 'fileId');
        const { jobs, resources } = app.store.repos();
        const file = jobs.file(fileId.toLowerCase());
        const gone = () => notFound(`No file ${fileId}.`, 'fileId');
        if (!file) throw gone();
        let job;
        try {
          job = visibleJob(jobs, request, file.jobId);
        } catch {
          throw gone();
        }
        logAbout(request, reply, { jobId: job.id, fileId: file.id });
        assertTokenWorksFor(job, request);
        if (job.status !== 'completed' || (job.readyAt ?? Infinity) > app.clock.now()) throw gone();
        assertTypeAllowed(request, file.type);
        const scenarios = new Set(job.params.scenarios);
        if (isExpired(job, app.clock) || scenarios.has('files-expired')) {
          throw notFound(`File ${fileId} has expired with its export job.`, 'fileId');
        }
        // Only a GET uses up a file's one fault: a HEAD shows what the next GET will get.
        const firstTime = (key: 'failedDownloads' | 'truncatedDownloads') =>
          request.method === 'HEAD'
            ? !(job.faultState[key] ?? []).includes(file.id)
            : jobs.updateFaultState(job.id, (state) => {
                const seen = (state[key] ??= []);
                if (seen.includes(file.id)) return false;
                seen.push(file.id);
                return true;
              });
        if (scenarios.has('download-error') && firstTime('failedDownloads')) {
          throw serviceUnavailable(
            `File ${fileId} is briefly unavailable (simulated by the "download-error" scenario); retry after Retry-After.`,
            TRANSIENT_RETRY_AFTER_SECONDS,
          );
        }
        // A HEAD gets the whole file's headers (and its body is never sent).
        const truncate = request.method !== 'HEAD' && scenarios.has('download-truncated') && firstTime('truncatedDownloads');

        reply.type('application/fhir+ndjson').header('cache-control', 'private, no-store');
        const body = fileBody(resources, job.params.selection, file);
        if (!truncate) return reply.send(body);
        request.log.info('download cut short on purpose (download-truncated scenario)');
        const encoding = negotiatedEncoding(request.headers);
        if (encoding) {
          const vary = reply.getHeader('vary');
          reply.header('content-encoding', encoding).header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
        }
        return reply.send(truncatedBody(body, Math.floor(file.count / 2), encoding, reply.raw));
      },
    },
  });
}
