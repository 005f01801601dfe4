// The export job runner as the app sees it (`app.jobRunner`): the generic runner (src/jobs/)
// running export jobs (src/export/export-job.ts), plus the expiry sweep. On start it resumes
// the jobs a previous process left unfinished; on close it waits for the running ones.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { exportJob, recordExportFailure, type ExportProgress } from '../export/export-job.js';
import { JobRunner, type JobLog } from '../jobs/job-runner.js';
import type { Repositories } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobRunner: ExportJobRunner;
  }
}

const SWEEP_INTERVAL_MS = 60_000;

export class ExportJobRunner extends JobRunner<ExportProgress> {
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly repos: () => Repositories,
    private readonly config: Config,
    private readonly clock: Clock,
    log: JobLog,
  ) {
    const deps = { repos, config, clock };
    super({
      concurrency: config.jobs.concurrency,
      backlog: config.jobs.backlog,
      log,
      label: 'export job',
      work: exportJob(deps),
      recordFailure: recordExportFailure(deps),
    });
  }

  /** How long a throttled client should wait, in whole seconds. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.config.jobs.minDurationMs / 1000));
  }

  /** Re-queues the jobs a previous process accepted but did not finish. */
  resumeUnfinished(): void {
    this.resume(this.repos().jobs.unfinished());
  }

  /** Deletes expired jobs (with their files) and expired tokens; a sweep under way is joined, not doubled. */
  sweep(): Promise<void> {
    this.sweeping ??= this.supervise(this.sweepOnce()).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    const { jobs, tokens } = this.repos();
    const deleted = await jobs.deleteExpired(now, now - this.config.jobs.ttlSeconds * 1000, () => this.isClosed);
    const purged = tokens.deleteExpired(now);
    if (deleted > 0 || purged > 0) this.options.log.info({ deletedJobs: deleted, deletedTokens: purged }, 'expired records removed');
  }
}

async function jobRunnerPlugin(app: FastifyInstance) {
  const runner = new ExportJobRunner(() => app.store.repos(), app.config, app.clock, app.log.child({ component: 'jobs' }));
  app.decorate('jobRunner', runner);

  // A sweep that fails (a busy or full disk) is logged and tried again next time; it must not
  // throw from a timer, which would stop the process.
  const sweep = () => {
    runner.sweep().catch((err: unknown) => app.log.error({ err }, 'expiry sweep failed'));
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    void app.store.whenReady.then(
      () => {
        if (runner.isClosed) return;
        timer = setInterval(sweep, SWEEP_INTERVAL_MS);
        timer.unref();
        sweep();
        try {
          runner.resumeUnfinished();
        } catch (err) {
          app.log.error({ err }, 'unfinished export jobs could not be resumed');
        }
      },
      () => undefined, // a failed seeding is logged by the store plugin
    );
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await runner.close();
  });
}

export default fp(jobRunnerPlugin, { name: 'job-runner', dependencies: ['store'], decorators: { fastify: ['config', 'clock'] } });
