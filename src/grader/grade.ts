// One grade: for each scenario in turn (and once with no fault), reset the mock, arm the
// scenario for one kick-off, run the client with the kit's environment and an empty output
// folder, then gather what the mock saw and what the client wrote, and evaluate the
// requirements that apply. Everything outside (the mock, the evaluation, the process) comes in
// as a dependency, so tests drive it with fakes.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFacts, Requirement, RequirementResult, RunFacts } from '../conformance/requirement.js';
import type { ScenarioName } from '../scenarios/catalog.js';
import { runClientProcess, type ClientProcessOptions, type ClientRun } from './client-process.js';
import type { MockControl } from './mock-control.js';
import { readWrittenResources } from './written-resources.js';

/** The requirement catalog and its evaluation (src/conformance/). */
export interface Evaluator {
  applicable(scenarios: readonly ScenarioName[]): Requirement[];
  evaluate(run: RunFacts, requirements: readonly Requirement[]): RequirementResult[];
}

export interface GradeSettings {
  client: string;
  profile: 'verto' | 'standard';
  /** The runs, in order: null is the run with no fault. */
  scenarios: readonly (ScenarioName | null)[];
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL when a client overruns its deadline. */
  graceMs?: number;
  types: readonly string[];
  /** Where the mock is, as the client reaches it. */
  origin: string;
  basePath: string;
  username: string;
  password: string;
  /** A folder of the grader's own: each run's output folder is made inside it. */
  workDir: string;
}

export interface GradeRun {
  scenario: ScenarioName | null;
  exitCode: number | null;
  timedOut: boolean;
  jobIds: string[];
  results: RequirementResult[];
}

export interface GradeSummary {
  pass: number;
  fail: number;
  notExercised: number;
}

export interface GradeReport {
  client: string;
  profile: 'verto' | 'standard';
  runs: GradeRun[];
  summary: GradeSummary;
}

export interface GradeProgress {
  runStarted(index: number, scenario: ScenarioName | null): void;
  runEnded(index: number, run: GradeRun, client: ClientRun): void;
}

export interface GradeDeps {
  control: MockControl;
  evaluator: Evaluator;
  runClient?: (options: ClientProcessOptions) => Promise<ClientRun>;
  progress?: GradeProgress;
}

/** The environment the client runs with (the kit's contract with clients). */
export function clientEnv(settings: GradeSettings, outputDir: string): Record<string, string> {
  const env: Record<string, string> = {
    VERTO_ORIGIN: settings.origin,
    VERTO_BASE_PATH: settings.basePath,
    VERTO_USERNAME: settings.username,
    VERTO_PASSWORD: settings.password,
    VERTO_TYPES: settings.types.join(','),
    VERTO_OUTPUT_DIR: outputDir,
    // The client's own deadline, half the run's: time to give up on a job, cancel it and exit.
    VERTO_DEADLINE_SECONDS: String(Math.max(1, Math.floor(settings.timeoutMs / 2000))),
  };
  if (settings.profile === 'standard') env.FHIR_BASE_URL = `${settings.origin}${settings.basePath}/fhir`;
  return env;
}

/** The export jobs the journal mentions, in the order it first mentions them. */
export function jobIdsOf(entries: RunFacts['entries']): string[] {
  return [...new Set(entries.flatMap((e) => (e.jobId === null ? [] : [e.jobId])))];
}

export function summarize(runs: readonly GradeRun[]): GradeSummary {
  const summary = { pass: 0, fail: 0, notExercised: 0 };
  for (const result of runs.flatMap((r) => r.results)) {
    if (result.outcome === 'pass') summary.pass++;
    else if (result.outcome === 'fail') summary.fail++;
    else summary.notExercised++;
  }
  return summary;
}

/** 0 only when every exercised requirement passed and no client overran its deadline. */
export function gradeExitCode(report: GradeReport): 0 | 1 {
  return report.summary.fail === 0 && !report.runs.some((r) => r.timedOut) ? 0 : 1;
}

async function gradeOne(index: number, scenario: ScenarioName | null, settings: GradeSettings, deps: GradeDeps): Promise<GradeRun> {
  const { control, evaluator } = deps;
  await control.reset();
  if (scenario !== null) await control.arm(scenario);
  const outputDir = join(settings.workDir, `run-${String(index + 1).padStart(2, '0')}-${scenario ?? 'no-fault'}`);
  // Empty, even in a folder kept from an earlier grade (--output-dir).
  await rm(outputDir, { recursive: true, force: true });
  await mkdir(outputDir, { recursive: true });

  const client = await (deps.runClient ?? runClientProcess)({
    command: settings.client,
    env: clientEnv(settings, outputDir),
    timeoutMs: settings.timeoutMs,
    graceMs: settings.graceMs,
  });

  const entries = await control.requests();
  const jobIds = jobIdsOf(entries);
  const exports: ExportFacts[] = [];
  for (const jobId of jobIds) {
    const facts = await control.exportFacts(jobId);
    if (facts) exports.push(facts);
  }
  const facts: RunFacts = {
    profile: settings.profile,
    basePath: settings.basePath,
    entries,
    exports,
    exitCode: client.exitCode,
    timedOut: client.timedOut,
    written: await readWrittenResources(outputDir),
  };
  const results = evaluator.evaluate(facts, evaluator.applicable(scenario === null ? [] : [scenario]));
  const run: GradeRun = { scenario, exitCode: client.exitCode, timedOut: client.timedOut, jobIds, results };
  deps.progress?.runEnded(index, run, client);
  return run;
}

export async function grade(settings: GradeSettings, deps: GradeDeps): Promise<GradeReport> {
  const runs: GradeRun[] = [];
  for (const [index, scenario] of settings.scenarios.entries()) {
    deps.progress?.runStarted(index, scenario);
    runs.push(await gradeOne(index, scenario, settings, deps));
  }
  // Nothing armed is left behind on a mock that outlives the grade.
  await deps.control.reset();
  return { client: settings.client, profile: settings.profile, runs, summary: summarize(runs) };
}
