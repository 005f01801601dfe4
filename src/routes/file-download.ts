// GET {BASE}/file/<uuid>/download (CONTRACT.md, download row): the file's rows streamed as
// NDJSON straight from SQLite. A file is reachable only through its own, visible, unexpired job.
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { validate as isUuid } from 'uuid';
import { badRequest, notFound } from '../errors.js';
import { NdjsonRangeStream } from '../export/ndjson-stream.js';
import { isExpired, visibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

export default async function fileDownloadRoutes(app: FastifyInstance) {
  routeMethods(app, '/file/:fileId/download', {
    GET: {
      options: { preHandler: app.authenticate },
      handler: async (request, reply) => {
        const { fileId } = request.params as { fileId: string };
        if (!isUuid(fileId)) throw badRequest(`"${fileId}" is not a file id (a UUID).`, 'fileId');
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
        if (job.status !== 'completed' || (job.readyAt ?? Infinity) > app.clock.now()) throw gone();
        if (isExpired(job, app.clock)) throw notFound(`File ${fileId} has expired with its export job.`, 'fileId');

        reply.type('application/fhir+ndjson').header('cache-control', 'private, no-store');
        if (file.content !== null) return reply.send(Readable.from([file.content]));
        const { type, ridFrom, ridTo } = file;
        return reply.send(
          new NdjsonRangeStream((after, limit) => resources.jsonAfter(type, after, ridTo!, limit), ridFrom!),
        );
      },
    },
  });
}
