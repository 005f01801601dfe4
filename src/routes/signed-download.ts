// GET {BASE}/file/<uuid>/signed?expires=...&signature=... (docs/behaviour.md, "Endpoints", signed
// download): a file through the signed URL the `signed-urls` and `download-redirect` faults hand
// out. The URL is the capability: no token is asked for, and one sent is not looked at (the
// journal records that it was sent). Altered or expired, the URL is refused.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import { jobView } from '../export/job-view.js';
import { activeScenarios } from '../scenarios/active.js';
import { verifySignedUrl } from '../scenarios/signed-url.js';
import { downloadContext, parseFileId, sendFile } from './file-download.js';
import { logAbout } from './job-access.js';
import { routeMethods } from './route-methods.js';

export default async function signedDownloadRoutes(app: FastifyInstance) {
  routeMethods(app, '/file/:fileId/signed', {
    GET: {
      handler: async (request, reply) => {
        const fileId = parseFileId(request.params);
        const now = app.clock.now();
        verifySignedUrl(fileId, request.query, now);
        const { jobs } = app.store.repos();
        const file = jobs.file(fileId);
        const job = file && jobs.get(file.jobId);
        if (!file || !job) throw notFound(`No file ${fileId}.`, 'fileId');
        logAbout(request, reply, { jobId: job.id, fileId: file.id });
        const scenarios = activeScenarios(job.params.scenarios, app.config.scenarios);
        const view = jobView(job, now, scenarios);
        if (view.state !== 'ready' || view.filesExpired) throw notFound(`File ${fileId} is gone with its export job.`, 'fileId');
        const ctx = downloadContext(app, request, reply, { job, file, scenarios });
        return sendFile(reply, app, ctx, { job, file, scenarios });
      },
    },
  });
}
