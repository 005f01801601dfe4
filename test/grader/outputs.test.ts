// The grade's outputs: JUnit XML (parsed back with a strict XML parser), the table, and the
// command line's usage errors.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { GradeReport } from '../../src/grader/grade.js';
import { escapeXml, toJunit } from '../../src/grader/junit.js';
import { GradeUsageError, parseGradeOptions } from '../../src/grader/options.js';
import { runLine } from '../../src/grader/progress.js';
import { gradeTable } from '../../src/grader/table.js';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { entry } from './fakes.js';

// The project has no XML library of its own; xml-js (sax in strict mode) comes with `fhir`.
const requireFromFhir = createRequire(createRequire(import.meta.url).resolve('fhir'));
const xmljs = requireFromFhir('xml-js') as { xml2js(xml: string, options?: object): XmlNode };
interface XmlNode {
  type?: string;
  name?: string;
  attributes?: Record<string, string>;
  elements?: XmlNode[];
  text?: string;
}
const children = (node: XmlNode, name: string) => (node.elements ?? []).filter((e) => e.name === name);
const text = (node: XmlNode) => (node.elements ?? []).map((e) => e.text ?? '').join('');

const REPORT: GradeReport = {
  client: 'node "client".mjs <&>',
  profile: 'verto',
  runs: [
    {
      scenario: null,
      exitCode: 0,
      timedOut: false,
      jobIds: ['j1'],
      results: [{ requirement: 'exit.honest', outcome: 'pass', evidence: { reason: 'exited 0 with everything', entries: [] } }],
    },
    {
      scenario: 'download-truncated',
      exitCode: 0,
      timedOut: false,
      jobIds: ['j2'],
      results: [
        { requirement: 'exit.honest', outcome: 'pass', evidence: { reason: 'ok', entries: [] } },
        {
          requirement: 'download.retries-truncated',
          outcome: 'fail',
          evidence: {
            reason: 'file f1 was cut short & never <downloaded> again\u0001',
            entries: [entry({ path: '/api/v1/connect/file/f1/download', status: 200, complete: false, jobId: 'j2', fileId: 'f1', scenario: 'download-truncated' })],
          },
        },
        { requirement: 'kickoff.waits-after-429', outcome: 'not-exercised', evidence: { reason: 'no 429 kick-off', entries: [] } },
      ],
    },
  ],
  summary: { pass: 2, fail: 1, notExercised: 1 },
};

describe('the JUnit output', () => {
  const doc = xmljs.xml2js(toJunit(REPORT));
  const root = doc.elements!.find((e) => e.type === 'element')!;

  it('is one testsuites with its totals', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '4', failures: '1', errors: '0', skipped: '1' });
    expect(root.attributes!.name).toBe('client grade (verto): node "client".mjs <&>');
  });

  it('has one testsuite per run and one testcase per requirement', () => {
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attributes!.name)).toEqual(['no fault', 'download-truncated']);
    expect(suites.map((s) => [s.attributes!.tests, s.attributes!.failures, s.attributes!.skipped])).toEqual([['1', '0', '0'], ['3', '1', '1']]);
    expect(children(suites[1]!, 'testcase').map((c) => c.attributes!.name)).toEqual([
      'exit.honest',
      'download.retries-truncated',
      'kickoff.waits-after-429',
    ]);
  });

  it('carries a failure with its reason and the journal entries that show it', () => {
    const cases = children(children(root, 'testsuite')[1]!, 'testcase');
    const [failure] = children(cases[1]!, 'failure');
    expect(failure!.attributes!.message).toBe('file f1 was cut short & never <downloaded> again\uFFFD');
    expect(failure!.attributes!.type).toBe('download.retries-truncated');
    expect(text(failure!)).toBe(
      'file f1 was cut short & never <downloaded> again\uFFFD\n' +
        '2026-03-01T00:00:00.000Z GET /api/v1/connect/file/f1/download -> 200 (body cut short, token, scenario download-truncated)',
    );
    expect(children(cases[0]!, 'failure')).toEqual([]);
    expect(children(cases[2]!, 'skipped')[0]!.attributes!.message).toBe('no 429 kick-off');
  });

  it('escapes what XML gives meaning to and drops what it forbids', () => {
    expect(escapeXml(`a<b>&"c"'\n\u0000`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;\uFFFD');
    expect(xmljs.xml2js(`<x a="${escapeXml('\t<"\r\n>')}"/>`).elements![0]!.attributes!.a).toBe('\t<"\r\n>');
  });
});

describe('the table', () => {
  it('has a row per requirement and a column per run: pass, FAIL, or – when not exercised or not applicable', () => {
    expect(gradeTable(REPORT)).toBe(
      [
        'requirement                | no fault | download-truncated',
        '---------------------------|----------|-------------------',
        'exit.honest                | pass     | pass',
        'download.retries-truncated | –        | FAIL',
        'kickoff.waits-after-429    | –        | –',
        '',
        '2 passed, 1 failed, 1 not exercised',
      ].join('\n'),
    );
  });

  it('marks a run whose client timed out', () => {
    const report = { ...REPORT, runs: [{ ...REPORT.runs[0]!, timedOut: true, exitCode: null }] };
    expect(gradeTable(report).split('\n')[0]).toBe('requirement | no fault (timed out)');
  });
});

describe('the command line', () => {
  const parse = (...args: string[]) => parseGradeOptions(args);

  it('needs only --client: the in-process mock, every scenario after a run with no fault, 60 s, two types', () => {
    expect(parse('--client', 'node c.mjs')).toEqual({
      client: 'node c.mjs',
      origin: undefined,
      adminToken: undefined,
      basePath: '/api/v1/connect',
      username: 'demo@example.com',
      password: 'demo',
      profile: 'verto',
      scenarios: [null, ...SCENARIO_NAMES],
      timeoutS: 60,
      types: ['Patient', 'Condition'],
      json: undefined,
      junit: undefined,
      outputDir: undefined,
    });
  });

  it('takes a running mock, a profile, chosen scenarios, a timeout, types and output files', () => {
    const o = parse(
      '--client', 'c', '--origin', 'http://localhost:3000/', '--admin-token', 'x'.repeat(16), '--profile', 'standard',
      '--scenarios', 'slow, partial', '--timeout-s', '5', '--types', 'Patient', '--json', 'g.json', '--junit', 'g.xml',
    );
    expect(o).toMatchObject({
      origin: 'http://localhost:3000',
      adminToken: 'x'.repeat(16),
      profile: 'standard',
      scenarios: [null, 'slow', 'partial'],
      timeoutS: 5,
      types: ['Patient'],
      json: 'g.json',
      junit: 'g.xml',
    });
  });

  it.each([
    [[]],
    [['--client', '']],
    [['--client', 'c', '--scenarios', 'slow,nope']],
    [['--client', 'c', '--profile', 'other']],
    [['--client', 'c', '--timeout-s', '0']],
    [['--client', 'c', '--origin', 'http://h/path']],
    [['--client', 'c', '--bogus']],
  ])('refuses %j as a usage error', (args) => {
    expect(() => parseGradeOptions(args)).toThrow(GradeUsageError);
  });

  it('answers --help without grading', () => {
    let help = '';
    expect(parseGradeOptions(['--help'], (t) => (help += t))).toBe('help');
    expect(help).toContain('--client <command>');
  });
});

describe('the progress line of a run (when stderr is not a terminal)', () => {
  it('says the run, how the client ended and how long it took, and the counts', () => {
    const client = { exitCode: 0, timedOut: false, output: '', ms: 4250 };
    expect(runLine(1, 12, REPORT.runs[1]!, client)).toBe('[2/12] download-truncated: exit 0 after 4.3 s; 1 pass, 1 FAIL, 1 not exercised');
    const timedOut = { ...REPORT.runs[0]!, exitCode: null, timedOut: true };
    expect(runLine(0, 12, timedOut, { ...client, exitCode: null, timedOut: true, ms: 60_000 })).toBe(
      '[1/12] no fault: timed out, killed after 60.0 s; 1 pass, 0 fail, 0 not exercised',
    );
  });
});
