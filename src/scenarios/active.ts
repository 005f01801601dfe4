// The scenarios that apply to one job (those it was started with, and those a server-wide
// setting applies to every job), as the hook points the routes and the export job call. The
// hooks of several scenarios run in catalog order.
import { HttpError } from '../errors.js';
import type { PlannedFile } from '../export/file-plan.js';
import type { Manifest } from '../export/manifest-shape.js';
import type { OperationOutcome } from '../fhir/r4.js';
import { noteScenario, shapedBy } from '../journal/request-notes.js';
import type { Job, JobRepository } from '../store/job-repository.js';
import { REGISTRY, type ScenarioName } from './catalog.js';
import type {
  AccessContext,
  BodyFilter,
  DownloadContext,
  FaultStateAccess,
  JobCreatedContext,
  ManifestContext,
  PlannedOutput,
  PollContext,
  PollProgress,
  Scenario,
  ScenarioSettings,
} from './scenario.js';

/** A job's fault state as the hooks see it: read as it was loaded, changed atomically in the store. */
export function faultStateOf(jobs: Pick<JobRepository, 'updateFaultState'>, job: Pick<Job, 'id' | 'faultState'>): FaultStateAccess {
  return {
    read: <S extends object>() => job.faultState as Partial<S>,
    update: <S extends object, T>(change: (state: Partial<S>) => T) => jobs.updateFaultState(job.id, (state) => change(state as Partial<S>)),
  };
}

/** Runs one scenario's hook; an error it throws is its answer, marked as such for the request journal. */
function shaping<T>(scenario: Scenario<ScenarioName>, hook: () => T): T {
  try {
    return hook();
  } catch (err) {
    throw shapedBy(err, scenario.name);
  }
}

export class ActiveScenarios {
  constructor(
    private readonly scenarios: readonly Scenario<ScenarioName>[],
    private readonly settings: ScenarioSettings,
  ) {}

  get names(): ScenarioName[] {
    return this.scenarios.map((s) => s.name);
  }

  kickoff(): void {
    for (const s of this.scenarios) if (s.hooks.kickoff) shaping(s, () => s.hooks.kickoff!());
  }

  jobCreated(ctx: JobCreatedContext): void {
    for (const s of this.scenarios) s.hooks.jobCreated?.(ctx);
  }

  access(ctx: AccessContext): void {
    for (const s of this.scenarios) if (s.hooks.access) shaping(s, () => s.hooks.access!(ctx));
  }

  /** How long the job takes, when a scenario says; undefined for the usual. */
  durationMs(): number | undefined {
    for (const s of this.scenarios) {
      const ms = s.hooks.durationMs?.(this.settings);
      if (ms !== undefined) return ms;
    }
    return undefined;
  }

  /** The failure a scenario records instead of the job's files, with the scenario's name. */
  failure(jobId: string): { scenario: ScenarioName; outcome: OperationOutcome } | undefined {
    for (const s of this.scenarios) {
      const outcome = s.hooks.failure?.(jobId);
      if (outcome) return { scenario: s.name, outcome };
    }
    return undefined;
  }

  output(planned: PlannedOutput): { kept: PlannedFile[]; explanations: string[] } {
    let kept = planned.files;
    const explanations: string[] = [];
    for (const s of this.scenarios) {
      if (!s.hooks.output) continue;
      const shaped = s.hooks.output({ ...planned, files: kept });
      kept = shaped.kept;
      explanations.push(...shaped.explanations);
    }
    return { kept, explanations };
  }

  /** The scenario that recorded the job's failure (its poll answers 500 as that scenario's), or null. */
  get failedBy(): ScenarioName | null {
    return this.scenarios.find((s) => s.hooks.failure)?.name ?? null;
  }

  /** The scenario that shaped the job's manifest (left files out, expired them, signed its urls), or null. */
  get manifestShapedBy(): ScenarioName | null {
    return this.scenarios.find((s) => s.hooks.output || s.hooks.filesExpireAt || s.hooks.manifest)?.name ?? null;
  }

  /** The scenario that expires the job's files early, or null. */
  get filesExpiredBy(): ScenarioName | null {
    return this.scenarios.find((s) => s.hooks.filesExpireAt)?.name ?? null;
  }

  filesExpireAt(job: Job): number | undefined {
    for (const s of this.scenarios) {
      const at = s.hooks.filesExpireAt?.(job);
      if (at !== undefined) return at;
    }
    return undefined;
  }

  poll(ctx: PollContext): void {
    try {
      for (const s of this.scenarios) if (s.hooks.poll) shaping(s, () => s.hooks.poll!(ctx));
    } catch (err) {
      throw this.datedRetryAfter(err, ctx.now);
    }
  }

  /** What a poll answered 202 says, as the job's scenarios have it. */
  progress(progress: PollProgress): PollProgress {
    return this.scenarios.reduce((p, s) => s.hooks.progress?.(p) ?? p, progress);
  }

  /** A Retry-After of this job, as its scenarios write it: seconds, unless one says otherwise (an HTTP-date). */
  retryAfter(seconds: number, now: number): string {
    for (const s of this.scenarios) {
      const written = s.hooks.retryAfter?.(seconds, now);
      if (written !== undefined) return written;
    }
    return String(seconds);
  }

  /** An error a hook threw, its Retry-After (seconds) written as the job's scenarios write it. */
  private datedRetryAfter(err: unknown, now: number): unknown {
    if (err instanceof HttpError && /^\d+$/.test(err.headers['retry-after'] ?? '')) {
      err.headers['retry-after'] = this.retryAfter(Number(err.headers['retry-after']), now);
    }
    return err;
  }

  /** The manifest of the job's 200, as its scenarios change it. */
  manifest(manifest: Manifest, ctx: ManifestContext): Manifest {
    return this.scenarios.reduce((m, s) => s.hooks.manifest?.(m, ctx) ?? m, manifest);
  }

  /** Where a scenario sends this download instead (a 307), noted for the journal; undefined for none. */
  redirect(ctx: DownloadContext): string | undefined {
    for (const s of this.scenarios) {
      const location = s.hooks.redirect?.(ctx);
      if (location === undefined) continue;
      noteScenario(ctx.request, s.name);
      return location;
    }
    return undefined;
  }

  pollAnswered(ctx: PollContext, retryAfterSeconds: number): void {
    for (const s of this.scenarios) s.hooks.pollAnswered?.(ctx, retryAfterSeconds);
  }

  /** Runs the download hooks; returns the filter to pass the body through, or undefined for none. */
  download(ctx: DownloadContext): BodyFilter | undefined {
    let filter: BodyFilter | undefined;
    for (const s of this.scenarios) {
      if (!s.hooks.download) continue;
      let next: BodyFilter | undefined;
      try {
        next = shaping(s, () => s.hooks.download!(ctx));
      } catch (err) {
        throw this.datedRetryAfter(err, ctx.now);
      }
      if (!next) continue;
      // A scenario that changes the body shapes the answer, for the request journal.
      noteScenario(ctx.request, s.name);
      filter = filter ? ((prev) => (body) => next(prev(body)))(filter) : next;
    }
    return filter;
  }
}

/** The scenarios that apply to a job started with `names`, under these settings. */
export function activeScenarios(names: readonly ScenarioName[], settings: ScenarioSettings): ActiveScenarios {
  const active = REGISTRY.filter((s) => names.includes(s.name) || s.hooks.everyJob?.(settings) === true);
  return new ActiveScenarios(active, settings);
}
