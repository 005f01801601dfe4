// Progress on stderr while the grade runs: a bar on a terminal, a line per run otherwise (CI logs).
import cliProgress from 'cli-progress';
import type { ClientRun } from './client-process.js';
import type { GradeProgress, GradeRun } from './grade.js';
import { scenarioLabel } from './junit.js';

export function runLine(index: number, total: number, run: GradeRun, client: ClientRun): string {
  const count = (outcome: string) => run.results.filter((r) => r.outcome === outcome).length;
  const exit = run.timedOut ? 'timed out, killed' : `exit ${run.exitCode ?? 'by signal'}`;
  const fails = count('fail');
  return `[${index + 1}/${total}] ${scenarioLabel(run.scenario)}: ${exit} after ${(client.ms / 1000).toFixed(1)} s; ${count('pass')} pass, ${fails} ${fails === 0 ? 'fail' : 'FAIL'}, ${count('not-exercised')} not exercised`;
}

export function gradeProgress(total: number, stream: NodeJS.WriteStream = process.stderr): GradeProgress & { stop(): void } {
  if (!stream.isTTY) {
    return {
      runStarted: () => undefined,
      runEnded: (index, run, client) => stream.write(`${runLine(index, total, run, client)}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: 'grading [{bar}] {value}/{total} {scenario}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { scenario: '' });
  const lines: string[] = [];
  return {
    runStarted: (_index, scenario) => bar.update({ scenario: scenarioLabel(scenario) }),
    runEnded: (index, run, client) => {
      lines.push(runLine(index, total, run, client));
      bar.increment();
    },
    stop: () => {
      bar.stop();
      if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
    },
  };
}
