// The grader's command: options in, a table on stdout, the JSON and JUnit files, an exit code:
// 0 when every exercised requirement passed, 1 when one failed or the client overran its
// deadline, 2 on a usage error (or a mock the grader cannot use). cli.ts runs it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogEvaluator } from './catalog-port.js';
import { runClientProcess } from './client-process.js';
import { grade, gradeExitCode, type Evaluator, type GradeReport, type GradeSettings } from './grade.js';
import { startInProcessMock, type InProcessMock } from './in-process-mock.js';
import { toJunit } from './junit.js';
import { httpMockControl, MockControlError, type MockControl } from './mock-control.js';
import { GradeUsageError, parseGradeOptions, type GradeOptions } from './options.js';
import { gradeProgress } from './progress.js';
import { gradeTable } from './table.js';

async function checkRunningMock(options: GradeOptions & { origin: string }): Promise<void> {
  let health: { profile?: string };
  try {
    health = (await (await fetch(`${options.origin}/health`)).json()) as { profile?: string };
  } catch (err) {
    throw new GradeUsageError(`no mock answers at ${options.origin}/health: ${String(err)}`);
  }
  if (health.profile !== undefined && health.profile !== options.profile) {
    throw new GradeUsageError(`the mock at ${options.origin} runs the ${health.profile} profile; pass --profile ${health.profile}`);
  }
}

class GradeInterrupted extends Error {
  override name = 'GradeInterrupted';
}

/** What the command reaches outside itself; tests replace them. */
export interface CommandDeps {
  evaluator: Evaluator;
  control: (origin: string, adminToken: string | undefined) => MockControl;
}

const DEFAULT_DEPS: CommandDeps = { evaluator: catalogEvaluator, control: httpMockControl };

async function run(options: GradeOptions, deps: CommandDeps): Promise<GradeReport> {
  let mock: InProcessMock | undefined;
  const workDir = options.outputDir ? resolve(options.outputDir) : await mkdtemp(join(tmpdir(), 'verto-grade-'));
  await mkdir(workDir, { recursive: true });
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort();
  process.once('SIGINT', onSigint);
  try {
    let where: Pick<GradeSettings, 'origin' | 'basePath' | 'username' | 'password'>;
    if (options.origin !== undefined) {
      await checkRunningMock({ ...options, origin: options.origin });
      where = { origin: options.origin, basePath: options.basePath, username: options.username, password: options.password };
    } else {
      mock = await startInProcessMock(options.profile);
      where = mock;
    }
    const progress = gradeProgress(options.scenarios.length);
    try {
      const report = await grade(
        {
          client: options.client,
          profile: options.profile,
          scenarios: options.scenarios,
          timeoutMs: options.timeoutS * 1000,
          types: options.types,
          origin: where.origin,
          basePath: where.basePath,
          username: where.username,
          password: where.password,
          workDir,
        },
        {
          control: deps.control(where.origin, options.origin === undefined ? undefined : options.adminToken),
          evaluator: deps.evaluator,
          progress,
          runClient: (o) => {
            if (interrupted.signal.aborted) throw new GradeInterrupted('the grade was interrupted');
            return runClientProcess({ ...o, signal: interrupted.signal });
          },
        },
      );
      // Interrupted during the last run: its client was stopped, so its grade says nothing.
      if (interrupted.signal.aborted) throw new GradeInterrupted('the grade was interrupted');
      return report;
    } finally {
      progress.stop();
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    await mock?.close();
    if (options.outputDir === undefined) await rm(workDir, { recursive: true, force: true });
  }
}

export async function gradeMain(args: readonly string[], deps: CommandDeps = DEFAULT_DEPS): Promise<number> {
  let options;
  try {
    options = parseGradeOptions(args, (text) => process.stderr.write(text));
  } catch (err) {
    if (err instanceof GradeUsageError) return 2;
    throw err;
  }
  if (options === 'help') return 0;
  let report: GradeReport;
  try {
    report = await run(options, deps);
  } catch (err) {
    if (err instanceof GradeUsageError || err instanceof MockControlError) {
      process.stderr.write(`grade: ${err.message}\n`);
      return 2;
    }
    if (err instanceof GradeInterrupted) {
      process.stderr.write('grade: interrupted; the client was stopped\n');
      return 130;
    }
    throw err;
  }
  process.stdout.write(`${gradeTable(report)}\n`);
  if (options.json) await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.junit) await writeFile(options.junit, toJunit(report));
  return gradeExitCode(report);
}
