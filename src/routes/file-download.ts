// GET {BASE}/file/<uuid>/download (docs/behaviour.md, "Endpoints", download): the file's rows streamed as
// NDJSON straight from SQLite. A file is reachable only through its own, visible, unexpired job.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validate as isUuid } from 'uuid';
import { assertTypeAllowed } from '../auth/scope-guard.js';
import { badRequest, notFound, shown } from '../errors.js';
import { fileBody } from '../export/file-reader.js';
import { negotiatedEncoding } from '../http/compression.js';
import { requestOrigin } from '../http/origin.js';
import { noteScenario } from '../journal/request-notes.js';
import { faultStateOf, type ActiveScenarios } from '../scenarios/active.js';
import type { DownloadContext } from '../scenarios/scenario.js';
import type { Job, JobFile } from '../store/job-repository.js';
import { checkAccess, logAbout, visibleJob, type VisibleJob } from './job-access.js';
import { routeMethods } from './route-methods.js';

/** The file id from the path, as the router matched it; a 400 when it is not a UUID. */
export function parseFileId(params: unknown): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).fileId : undefined;
  const fileId = typeof value === 'string' ? value : '';
  if (!isUuid(fileId)) throw badRequest(`"${shown(fileId)}" is not a file id (a UUID).`, 'fileId');
  return fileId.toLowerCase();
}

/** What a download of one file needs, once the file is known to be the client's to download. */
export interface FileToSend {
  job: Job;
  file: JobFile;
  scenarios: ActiveScenarios;
}

/** The scenarios' view of this download (for their redirect and download hooks). */
export function downloadContext(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, { job, file }: FileToSend): DownloadContext {
  const { jobs } = app.store.repos();
  return {
    request,
    reply,
    job,
    file,
    state: faultStateOf(jobs, job),
    now: app.clock.now(),
    settings: app.config.scenarios,
    apiBase: requestOrigin(request, app.config) + app.config.basePath,
  };
}

/** Sends the file's body, through the job's scenarios' download hooks, compressed when asked and a slot is free. */
export async function sendFile(reply: FastifyReply, app: FastifyInstance, ctx: DownloadContext, { job, file, scenarios }: FileToSend) {
  const filter = scenarios.download(ctx);
  // After the hooks: a fault that must reach the client byte for byte turns compression off.
  if (negotiatedEncoding(ctx.request.headers)) await compressionSlot(app, reply);
  reply.type('application/fhir+ndjson').header('cache-control', 'private, no-store');
  const body = fileBody(app.store.repos().resources, job.params.selection, file);
  return reply.send(filter ? filter(body) : body);
}

/** Waits for a compression slot and gives it back when the response closes, however it ends. */
async function compressionSlot(app: FastifyInstance, reply: FastifyReply): Promise<void> {
  let closed = false;
  const onClose = () => (closed = true);
  reply.raw.once('close', onClose);
  const release = await app.compressionSlots.acquire();
  reply.raw.off('close', onClose);
  if (closed) release();
  else reply.raw.once('close', release);
}

export default async function fileDownloadRoutes(app: FastifyInstance) {
  const settings = app.config.scenarios;

  routeMethods(app, '/file/:fileId/download', {
    GET: {
      handler: async (request, reply) => {
        const fileId = parseFileId(request.params);
        const { jobs } = app.store.repos();
        const file = jobs.file(fileId);
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
        const ctx = downloadContext(app, request, reply, { job, file, scenarios });
        const location = scenarios.redirect(ctx);
        if (location !== undefined) return reply.header('cache-control', 'private, no-store').redirect(location, 307);
        return sendFile(reply, app, ctx, { job, file, scenarios });
      },
    },
  });
}
