// The grade as JUnit XML, which CI systems show natively: one testsuite per run (its scenario),
// one testcase per requirement; a failed requirement is a <failure> carrying its reason and the
// journal entries that show it; a requirement the client never reached is <skipped>. No XML
// library is a dependency of the project, so the text is escaped here, for element content
// and attribute values alike, with the characters XML 1.0 forbids removed.
import type { JournalEntry } from '../journal/journal-entry.js';
import type { GradeReport, GradeRun } from './grade.js';

// Control characters other than tab, newline and return, lone surrogates and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text: like an attribute, but newlines and tabs stay as they are, for reading. */
function escapeText(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

export function scenarioLabel(scenario: string | null): string {
  return scenario ?? 'no fault';
}

/** One journal entry on one line, as a failure's evidence shows it. */
export function entryLine(e: JournalEntry): string {
  const target = e.query === '' ? e.path : `${e.path}?${e.query}`;
  const extra = [
    e.complete ? null : 'body cut short',
    e.retryAfter === null ? null : `Retry-After ${e.retryAfter}`,
    e.token ? 'token' : 'no token',
    e.scenario === null ? null : `scenario ${e.scenario}`,
  ].filter((x) => x !== null);
  return `${e.at} ${e.method} ${target} -> ${e.status} (${extra.join(', ')})`;
}

function suite(run: GradeRun, index: number): string {
  const name = scenarioLabel(run.scenario);
  const failures = run.results.filter((r) => r.outcome === 'fail').length;
  const skipped = run.results.filter((r) => r.outcome === 'not-exercised').length;
  const exit = run.timedOut ? 'timed out (killed)' : `exit code ${run.exitCode}`;
  const cases = run.results.map((r) => {
    const open = `    <testcase classname="${escapeXml(`grade.${name}`)}" name="${escapeXml(r.requirement)}">`;
    if (r.outcome === 'pass') return `${open}</testcase>`;
    if (r.outcome === 'not-exercised') return `${open}\n      <skipped message="${escapeXml(r.evidence.reason)}"/>\n    </testcase>`;
    const detail = [r.evidence.reason, ...r.evidence.entries.map(entryLine)].join('\n');
    return `${open}\n      <failure message="${escapeXml(r.evidence.reason)}" type="${escapeXml(r.requirement)}">${escapeText(detail)}</failure>\n    </testcase>`;
  });
  const props = `    <properties>\n      <property name="client" value="${escapeXml(exit)}"/>\n      <property name="jobIds" value="${escapeXml(run.jobIds.join(','))}"/>\n    </properties>`;
  return [
    `  <testsuite name="${escapeXml(name)}" id="${index}" tests="${run.results.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    props,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

export function toJunit(report: GradeReport): string {
  const tests = report.runs.reduce((n, r) => n + r.results.length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`client grade (${report.profile}): ${report.client}`)}" tests="${tests}" failures="${report.summary.fail}" errors="0" skipped="${report.summary.notExercised}">`,
    ...report.runs.map(suite),
    '</testsuites>',
    '',
  ].join('\n');
}
