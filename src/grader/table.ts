// The grade at a glance: one row per requirement, one column per run (its scenario), each cell
// pass, FAIL or – (not exercised, or the requirement does not apply to that run).
import type { GradeReport } from './grade.js';
import { scenarioLabel } from './junit.js';

const CELL = { pass: 'pass', fail: 'FAIL', 'not-exercised': '–' } as const;

export function gradeTable(report: GradeReport): string {
  const columns = report.runs.map((r) => (r.timedOut ? `${scenarioLabel(r.scenario)} (timed out)` : scenarioLabel(r.scenario)));
  const requirements = [...new Set(report.runs.flatMap((r) => r.results.map((x) => x.requirement)))];
  const rows = requirements.map((id) => [
    id,
    ...report.runs.map((run) => {
      const result = run.results.find((x) => x.requirement === id);
      return result ? CELL[result.outcome] : CELL['not-exercised'];
    }),
  ]);
  const header = ['requirement', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const { pass, fail, notExercised } = report.summary;
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    '',
    `${pass} passed, ${fail} failed, ${notExercised} not exercised`,
  ].join('\n');
}
