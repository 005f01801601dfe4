// The grade command from its arguments to its exit code and files, on the in-process mock, with
// a quick shell command as the client, the mock's admin API over HTTP and a fake evaluation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gradeMain, type CommandDeps } from '../../src/grader/command.js';
import { httpMockControl } from '../../src/grader/mock-control.js';
import { scratchFolder } from '../scratch.js';
import { FakeEvaluator } from './fakes.js';

const dir = scratchFolder('grade-command');
const deps: CommandDeps = { evaluator: new FakeEvaluator(), control: httpMockControl };
const xmljs = createRequire(createRequire(import.meta.url).resolve('fhir'))('xml-js') as {
  xml2js(xml: string): { elements: { name: string; elements?: { name: string; attributes: Record<string, string> }[] }[] };
};

let stdout: string;
beforeEach(() => {
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('the grade command', () => {
  it('exits 0 when every exercised requirement passed, and prints the table and writes the JSON and JUnit files', async () => {
    const json = join(dir, 'grade.json');
    const junit = join(dir, 'grade.xml');
    const code = await gradeMain(['--client', 'exit 0', '--scenarios', 'poll-transient', '--timeout-s', '10', '--json', json, '--junit', junit], deps);

    expect(code).toBe(0);
    expect(stdout).toContain('requirement            | no fault | poll-transient');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { client: string; runs: { scenario: string | null; exitCode: number }[] };
    expect(report.client).toBe('exit 0');
    expect(report.runs.map((r) => [r.scenario, r.exitCode])).toEqual([[null, 0], ['poll-transient', 0]]);
    const suites = xmljs.xml2js(readFileSync(junit, 'utf8')).elements[0]!.elements!.filter((e) => e.name === 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['no fault', 'poll-transient']);
  });

  it('exits 1 when a requirement failed', async () => {
    expect(await gradeMain(['--client', 'exit 4', '--scenarios', 'slow', '--timeout-s', '10'], deps)).toBe(1);
    expect(stdout).toContain('exit.honest | FAIL     | FAIL');
  });

  it('exits 2 on a usage error, before starting anything', async () => {
    const control = vi.fn(deps.control);
    expect(await gradeMain(['--scenarios', 'slow'], { ...deps, control })).toBe(2);
    expect(await gradeMain(['--client', 'c', '--scenarios', 'nope'], { ...deps, control })).toBe(2);
    expect(control).not.toHaveBeenCalled();
  });

  it('exits 0 on --help', async () => {
    expect(await gradeMain(['--help'], deps)).toBe(0);
  });
});
