// GET /_mock/exports/<jobId>/report (docs/behaviour.md, "Client report"): how the client of one
// export behaved, requirement by requirement. Guarded like the rest of /_mock/.
import type { FastifyInstance } from 'fastify';
import { exportFacts, exportReport, type ExportReport } from '../conformance/export-report.js';
import { notFound, shown } from '../errors.js';
import { jobView } from '../export/job-view.js';
import { activeScenarios } from '../scenarios/active.js';
import { routeMethods } from './route-methods.js';

/** The report of one export, as `GET /_mock/exports/<jobId>/report` answers it (also `startMock().report`). */
export function reportOf(app: FastifyInstance, jobIdAsGiven: string): ExportReport {
  const jobId = jobIdAsGiven.toLowerCase();
  const { jobs } = app.store.repos();
  const job = jobs.get(jobId);
  if (!job) throw notFound(`No export job ${shown(jobIdAsGiven)}.`, 'jobId');
  const view = jobView(job, app.clock.now(), activeScenarios(job.params.scenarios, app.config.scenarios));
  return exportReport({
    profile: app.config.profile,
    basePath: app.config.basePath,
    facts: exportFacts(job, jobs.files(jobId), view, app.config.auth.enabled),
    entries: app.journal.list(),
  });
}

export default async function mockReportRoutes(app: FastifyInstance) {
  app.addHook('preHandler', app.requireAdmin);

  routeMethods<{ Params: { jobId: string } }>(app, '/exports/:jobId/report', {
    GET: { handler: async (request) => reportOf(app, request.params.jobId) },
  });
}
