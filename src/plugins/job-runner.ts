// The supervised, in-process job runner: a bounded number of exports run at once, the rest
// wait in a bounded queue; every run is awaited, logged and its failure recorded on the job.
// On start it resumes the jobs a previous process left unfinished (an export is a pure
// function of its stored parameters and watermark, so running it again gives the same files).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { v4 as uuidv4 } from 'uuid';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { PlanAbandoned, planFiles } from '../export/file-plan.js';
import { selectionSql } from '../export/selection.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { leaveOutPart } from '../scenarios/partial.js';
import type { JobFile } from '../store/job-repository.js';
import type { Repositories } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobRunner: JobRunner;
  }
}

const SWEEP_INTERVAL_MS = 60_000;

export class JobRunner {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly progress = new Map<string, { done: number; total: number }>();
  private closed = false;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly repos: () => Repositories,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** False when the queue is full: the kick-off should answer 429 instead of taking the job. */
  hasRoom(): boolean {
    return this.queue.length + this.running.size < this.config.jobs.concurrency + this.config.jobs.backlog;
  }

  /** How long a throttled client should wait, in whole seconds. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.config.jobs.minDurationMs / 1000));
  }

  enqueue(jobId: string): void {
    if (this.closed) return;
    this.queue.push(jobId);
    this.pump();
  }

  /** Fraction of the requested types planned so far, for X-Progress; undefined when not running. */
  progressOf(jobId: string): { done: number; total: number } | undefined {
    return this.progress.get(jobId);
  }

  /** Takes a job that has not started out of the queue (cancelled, deleted): it no longer holds a place. */
  unqueue(jobId: string): void {
    const at = this.queue.indexOf(jobId);
    if (at !== -1) this.queue.splice(at, 1);
  }

  /** Empties the queue (every job was deleted). */
  clearQueue(): void {
    this.queue.length = 0;
  }

  isQueued(jobId: string): boolean {
    return this.queue.includes(jobId);
  }

  /** Re-queues the jobs a previous process accepted but did not finish. */
  resumeUnfinished(): void {
    for (const job of this.repos().jobs.unfinished()) {
      this.log.info({ jobId: job.id, status: job.status }, 'resuming unfinished export job');
      this.enqueue(job.id);
    }
  }

  /** Deletes expired jobs (with their files) and expired tokens; a sweep under way is joined, not doubled. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    const { jobs, tokens } = this.repos();
    const deleted = await jobs.deleteExpired(now, now - this.config.jobs.ttlSeconds * 1000, () => this.closed);
    const purged = tokens.deleteExpired(now);
    if (deleted > 0 || purged > 0) this.log.info({ deletedJobs: deleted, deletedTokens: purged }, 'expired records removed');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops taking work and waits for the running jobs to finish. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.allSettled([...this.running.values(), this.sweeping]);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.config.jobs.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run = this.run(id)
        // run() records its own failures; this catches a failure to record one (a database
        // error, say), which must not become an unhandled rejection that stops the process.
        .catch((err: unknown) => this.log.error({ err, jobId: id }, 'export job could not be run or recorded'))
        .finally(() => {
          this.running.delete(id);
          this.progress.delete(id);
          this.pump();
        });
      this.running.set(id, run);
    }
  }

  private async run(jobId: string): Promise<void> {
    const { jobs, resources } = this.repos();
    const started = performance.now();
    const log = this.log.child({ jobId });
    const ms = () => Math.round(performance.now() - started);
    // Everything, reading the job included, is inside the try: whatever goes wrong ends with
    // the job marked failed, never left "in progress" for its client to poll forever.
    try {
      const job = jobs.get(jobId);
      if (!job || !jobs.start(jobId, this.clock.now())) {
        log.info('export job no longer wanted; skipped');
        return;
      }
      log.info({ types: job.params.types, queuedMs: Math.max(0, this.clock.now() - job.createdAt) }, 'export job started');
      this.progress.set(jobId, { done: 0, total: job.params.types.length });
      const where = (type: string) => selectionSql(job.params.selection, type);
      const planned = await planFiles(resources, job.params.types, job.watermark, this.config.fileMaxResources, {
        onTypeDone: (done) => this.progress.set(jobId, { done, total: job.params.types.length }),
        shouldStop: () => this.closed || jobs.get(jobId)?.status !== 'in-progress',
        where,
      });
      const scenarios = new Set(job.params.scenarios);
      const now = this.clock.now();
      const duration = scenarios.has('slow') ? this.config.scenarios.slowDurationMs : this.config.jobs.minDurationMs;
      const readyAt = Math.max(now, job.createdAt + duration);
      const expiresAt = readyAt + this.config.jobs.ttlSeconds * 1000;
      if (scenarios.has('job-fails')) {
        const failed = jobs.fail(
          jobId,
          operationOutcome('fatal', 'exception', `Export job ${jobId} failed (simulated by the "job-fails" scenario).`),
          { now, readyAt, expiresAt },
        );
        log.info({ outcome: failed ? 'failed' : 'cancelled', scenario: 'job-fails', ms: ms() }, 'export job failed on purpose');
        return;
      }
      const { kept, explanations } = scenarios.has('partial')
        ? leaveOutPart(planned, resources, where)
        : { kept: planned, explanations: [] };
      const files: JobFile[] = kept.map((f, seq) => ({ id: uuidv4(), jobId, kind: 'output', seq, ...f, content: null }));
      const problems = [
        ...job.params.ignored.map((d) => operationOutcome('warning', 'not-supported', d)),
        ...explanations.map((d) => operationOutcome('error', 'incomplete', d)),
      ];
      if (problems.length > 0) {
        files.push({
          id: uuidv4(),
          jobId,
          kind: 'error',
          seq: 0,
          type: 'OperationOutcome',
          ridFrom: null,
          ridTo: null,
          count: problems.length,
          content: problems.map((p) => `${JSON.stringify(p)}\n`).join(''),
        });
      }
      const completed = await jobs.complete(jobId, files, { completedAt: now, readyAt, expiresAt });
      const resourceCount = kept.reduce((n, f) => n + f.count, 0);
      log.info(
        { outcome: completed ? 'completed' : 'cancelled', files: files.length, resources: resourceCount, ms: ms() },
        completed ? 'export job completed' : 'export job was cancelled while running',
      );
    } catch (err) {
      if (err instanceof PlanAbandoned) {
        if (this.closed) log.info({ outcome: 'interrupted', ms: ms() }, 'export job interrupted by shutdown; the next start resumes it');
        else log.info({ outcome: 'cancelled', ms: ms() }, 'export job was cancelled while running');
        return;
      }
      log.error({ err, outcome: 'failed', ms: ms() }, 'export job failed');
      const now = this.clock.now();
      jobs.fail(jobId, operationOutcome('fatal', 'exception', 'The export failed on the server; start a new export.'), {
        now,
        readyAt: now,
        expiresAt: now + this.config.jobs.ttlSeconds * 1000,
      });
    }
  }
}

async function jobRunnerPlugin(app: FastifyInstance) {
  const runner = new JobRunner(() => app.store.repos(), app.config, app.clock, app.log.child({ component: 'jobs' }));
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
