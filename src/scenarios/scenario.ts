// What a simulated fault is (docs/behaviour.md, "Simulated faults"): one module per scenario
// declares its name, what it does, what a client should do about it, the settings that tune
// it, and the hooks through which it acts. The routes and the export job call the hooks of a
// job's scenarios (src/scenarios/active.ts); none of them knows a scenario by name.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { PlannedFile, RidSource } from '../export/file-plan.js';
import type { Manifest } from '../export/manifest-shape.js';
import type { SqlCondition } from '../export/type-filter.js';
import type { OperationOutcome } from '../fhir/r4.js';

export type ScenarioSettings = Config['scenarios'];

/** What a hook sees of an export job (a stored job has these and more). */
export interface ScenarioJob {
  id: string;
  /** When the job shows as done; null until its files are planned. */
  readyAt: number | null;
}

/** What a hook sees of one of the job's files. */
export interface ScenarioFile {
  id: string;
  /** Lines in the file. */
  count: number;
  /** `output` for data, `error` for an error file. */
  kind: 'output' | 'error';
  /** Its place among the job's files of its kind (0 first). */
  seq: number;
}

/** A job's fault state (stored with the job): each scenario reads and writes its own fields. */
export interface FaultStateAccess {
  /** As it was when the job was read for this request. */
  read<S extends object>(): Partial<S>;
  /** Reads, changes and writes the state atomically; returns what `change` returns. */
  update<S extends object, T>(change: (state: Partial<S>) => T): T;
}

export interface JobCreatedContext {
  jobId: string;
  /** The hash of the token that started the job (undefined with AUTH=off). */
  tokenHash: string | null;
  state: FaultStateAccess;
}

export interface AccessContext {
  job: ScenarioJob;
  /** The hash of the request's token (undefined with AUTH=off). */
  tokenHash: string | null;
  state: FaultStateAccess;
}

export interface PollContext {
  job: ScenarioJob;
  now: number;
  state: FaultStateAccess;
}

export interface DownloadContext {
  request: FastifyRequest;
  reply: FastifyReply;
  job: ScenarioJob;
  file: ScenarioFile;
  state: FaultStateAccess;
  /** The server's clock (ms). */
  now: number;
  settings: ScenarioSettings;
  /** `{origin}{BASE_PATH}` as the client reached the API. */
  apiBase: string;
}

/** What a poll of an unfinished job says (X-Progress, and Retry-After in seconds). */
export interface PollProgress {
  text: string;
  retryAfter: number;
}

/** A completed job's manifest as a scenario may change it. */
export interface ManifestContext {
  job: ScenarioJob;
  now: number;
  /** What goes before a file's path in its `url`: '' (Verto: relative to the API base) or `{origin}{BASE_PATH}`. */
  urlBase: string;
}

/** What the export job planned, for a scenario that changes what it outputs. */
export interface PlannedOutput {
  files: PlannedFile[];
  source: RidSource;
  where: (type: string) => SqlCondition | undefined;
}

/** Replaces a download's body (the route sends what it returns). */
export type BodyFilter = (body: Readable) => Readable;

/** Where a scenario acts; each hook is optional. Hooks of several scenarios run in catalog order. */
export interface ScenarioHooks {
  /** Why this server cannot simulate the scenario as set up (kick-off and arming answer 400), or undefined. */
  unavailable?(setup: { authEnabled: boolean }): string | undefined;
  /** True when a server-wide setting applies the scenario to every job. */
  everyJob?(settings: ScenarioSettings): boolean;
  /** Kick-off, once the request is valid and before a job exists: may refuse it (throw). */
  kickoff?(): void;
  /** Kick-off, right after the job is created. */
  jobCreated?(ctx: JobCreatedContext): void;
  /** Poll, cancel and download of the job, before anything else: may refuse the request (throw). */
  access?(ctx: AccessContext): void;
  /** Job run: how long the job takes, from its kick-off to showing as done. */
  durationMs?(settings: ScenarioSettings): number;
  /** Job run, once its files are planned: the failure to record instead of the files. */
  failure?(jobId: string): OperationOutcome;
  /** Job run, once its files are planned: the files kept, and why the others were left out. */
  output?(planned: PlannedOutput): { kept: PlannedFile[]; explanations: string[] };
  /** When the job's files expire as its client sees them (poll's Expires; downloads answer 404 from then). */
  filesExpireAt?(job: ScenarioJob): number;
  /** Poll, before the job's state is answered: may answer instead (throw). */
  poll?(ctx: PollContext): void;
  /** Poll, answered 202 with this Retry-After. */
  pollAnswered?(ctx: PollContext, retryAfterSeconds: number): void;
  /** Poll, answered 202: may change what X-Progress and Retry-After say. */
  progress?(progress: PollProgress): PollProgress;
  /** How a Retry-After of this job is written (seconds from `now`); undefined for plain seconds. */
  retryAfter?(seconds: number, now: number): string;
  /** Poll, answered 200: may change the manifest (its urls, requiresAccessToken). */
  manifest?(manifest: Manifest, ctx: ManifestContext): Manifest;
  /** Download of a file that is there, before its body: a URL to redirect to (307) instead, or undefined. */
  redirect?(ctx: DownloadContext): string | undefined;
  /** Download of a file that is there: may refuse it (throw) or change its body. */
  download?(ctx: DownloadContext): BodyFilter | undefined;
}

export interface Scenario<Name extends string = string> {
  readonly name: Name;
  /** One line: what the client sees. */
  readonly description: string;
  readonly clientShould: string;
  /** The settings (environment variables) that tune it. */
  readonly settings: readonly string[];
  readonly hooks: ScenarioHooks;
}

/** Declares a scenario, keeping its name as a literal type (the catalog derives ScenarioName from it). */
export const defineScenario = <const Name extends string>(scenario: Scenario<Name>): Scenario<Name> => scenario;

/** Retry-After for the transient poll and download errors, in seconds. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;

/**
 * Whether this is the first download of the file for the fault kept under `key` in the job's
 * fault state: a GET uses it up, a HEAD only looks (it shows what the next GET will get).
 */
export function firstDownload(ctx: DownloadContext, key: string): boolean {
  type Seen = Record<string, string[]>;
  if (ctx.request.method === 'HEAD') return !(ctx.state.read<Seen>()[key] ?? []).includes(ctx.file.id);
  return ctx.state.update<Seen, boolean>((state) => {
    const seen = (state[key] ??= []);
    if (seen.includes(ctx.file.id)) return false;
    seen.push(ctx.file.id);
    return true;
  });
}
