// The work of one export job, run by the job runner (src/jobs/): plan the files of the
// requested types up to the job's watermark, then record them, with an error file for what
// was ignored or left out. An export is a pure function of its stored parameters and
// watermark, so a run resumed after a restart gives the same files.
import { v4 as uuidv4 } from 'uuid';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import type { JobContext, JobFunction } from '../jobs/job-runner.js';
import { activeScenarios } from '../scenarios/active.js';
import type { JobFile, JobRepository } from '../store/job-repository.js';
import type { ResourceRepository } from '../store/resource-repository.js';
import { PlanAbandoned, planFiles, type PlannedFile } from './file-plan.js';
import { selectionOf } from './file-reader.js';

/** How far a running export has come: types planned of the types requested. */
export interface ExportProgress {
  done: number;
  total: number;
}

export interface ExportJobDeps {
  repos: () => { jobs: JobRepository; resources: ResourceRepository };
  config: Config;
  clock: Clock;
}

/** The job function of an export job. */
export function exportJob({ repos, config, clock }: ExportJobDeps): JobFunction<ExportProgress> {
  const ttlMs = config.jobs.ttlSeconds * 1000;

  return async ({ id: jobId, log, signal, report, elapsedMs }: JobContext<ExportProgress>) => {
    const { jobs, resources } = repos();
    // Everything, reading the job included, may throw: the runner then records the job as
    // failed, never left "in progress" for its client to poll forever.
    const job = jobs.get(jobId);
    if (!job || !jobs.start(jobId, clock.now())) {
      log.info({}, 'export job no longer wanted; skipped');
      return;
    }
    log.info({ types: job.params.types, queuedMs: Math.max(0, clock.now() - job.createdAt) }, 'export job started');
    const total = job.params.types.length;
    report({ done: 0, total });
    const where = selectionOf(job.params.selection);
    let planned: PlannedFile[];
    try {
      planned = await planFiles(resources, job.params.types, job.watermark, config.fileMaxResources, {
        onTypeDone: (done) => report({ done, total }),
        shouldStop: () => signal.aborted || jobs.get(jobId)?.status !== 'in-progress',
        where,
      });
    } catch (err) {
      if (!(err instanceof PlanAbandoned)) throw err;
      if (signal.aborted) log.info({ outcome: 'interrupted', ms: elapsedMs() }, 'export job interrupted by shutdown; the next start resumes it');
      else log.info({ outcome: 'cancelled', ms: elapsedMs() }, 'export job was cancelled while running');
      return;
    }
    const scenarios = activeScenarios(job.params.scenarios, config.scenarios);
    const now = clock.now();
    const duration = scenarios.durationMs() ?? config.jobs.minDurationMs;
    const readyAt = Math.max(now, job.createdAt + duration);
    const expiresAt = readyAt + ttlMs;
    const failure = scenarios.failure(jobId);
    if (failure) {
      const failed = jobs.fail(jobId, failure.outcome, { now, readyAt, expiresAt });
      log.info({ outcome: failed ? 'failed' : 'cancelled', scenario: failure.scenario, ms: elapsedMs() }, 'export job failed on purpose');
      return;
    }
    const { kept, explanations } = scenarios.output({ files: planned, source: resources, where });
    const files: JobFile[] = kept.map((f, seq) => ({ id: uuidv4(), jobId, kind: 'output', seq, ...f, content: null }));
    const problems = [
      ...job.params.ignored.map((d) => operationOutcome('warning', 'not-supported', d)),
      ...(job.params.missingPatients ?? []).map((d) => operationOutcome('error', 'not-found', d, 'patient')),
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
      { outcome: completed ? 'completed' : 'cancelled', files: files.length, resources: resourceCount, ms: elapsedMs() },
      completed ? 'export job completed' : 'export job was cancelled while running',
    );
  };
}

/** Records an export that failed on the server: its client's next poll answers 500. */
export function recordExportFailure({ repos, config, clock }: ExportJobDeps): (jobId: string) => void {
  return (jobId) => {
    const now = clock.now();
    repos().jobs.fail(jobId, operationOutcome('fatal', 'exception', 'The export failed on the server; start a new export.'), {
      now,
      readyAt: now,
      expiresAt: now + config.jobs.ttlSeconds * 1000,
    });
  };
}
