// The grade's course and its JSON, with a fake mock, a fake evaluation and a scripted client.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grade, gradeExitCode, jobIdsOf, type GradeDeps, type GradeSettings } from '../../src/grader/grade.js';
import { scratchFolder } from '../scratch.js';
import { entry, FakeControl, FakeEvaluator, scriptedClient } from './fakes.js';

const work = scratchFolder('grade');
let n = 0;

const settings = (over: Partial<GradeSettings> = {}): GradeSettings => ({
  client: 'node client.mjs',
  profile: 'verto',
  scenarios: [null, 'poll-transient', 'kickoff-throttled'],
  timeoutMs: 1000,
  types: ['Patient', 'Condition'],
  origin: 'http://127.0.0.1:1234',
  basePath: '/api/v1/connect',
  username: 'demo@example.com',
  password: 'demo',
  workDir: join(work, `grade-${++n}`),
  ...over,
});

describe('a grade', () => {
  it('resets and arms the mock for each run, then reads the journal and each job it mentions', async () => {
    const control = new FakeControl();
    control.journals = [
      [entry({ jobId: 'j1' }), entry({ jobId: 'j1', path: '/x' })],
      [entry({ jobId: 'j2' }), entry({ jobId: 'unknown' }), entry({ jobId: 'j3' })],
      [],
    ];
    const client = scriptedClient([0, 0, 0]);
    const report = await grade(settings(), { control, evaluator: new FakeEvaluator(), runClient: client.runClient });

    expect(control.calls).toEqual([
      'reset', 'requests', 'export j1',
      'reset', 'arm poll-transient', 'requests', 'export j2', 'export unknown', 'export j3',
      'reset', 'arm kickoff-throttled', 'requests',
      'reset',
    ]);
    expect(report.runs.map((r) => r.jobIds)).toEqual([['j1'], ['j2', 'unknown', 'j3'], []]);
  });

  it('runs the client with the kit environment and an empty output folder of its own per run', async () => {
    const client = scriptedClient([0, 0]);
    const s = settings({ scenarios: [null, 'slow'], profile: 'standard' });
    await grade(s, { control: new FakeControl(), evaluator: new FakeEvaluator(), runClient: client.runClient });

    const [first, second] = client.seen;
    expect(first!.command).toBe('node client.mjs');
    expect(first!.timeoutMs).toBe(1000);
    expect(first!.env).toEqual({
      VERTO_ORIGIN: 'http://127.0.0.1:1234',
      VERTO_BASE_PATH: '/api/v1/connect',
      VERTO_USERNAME: 'demo@example.com',
      VERTO_PASSWORD: 'demo',
      VERTO_TYPES: 'Patient,Condition',
      VERTO_OUTPUT_DIR: join(s.workDir, 'run-01-no-fault'),
      // Half the run's timeout (1 s here), in whole seconds, never 0.
      VERTO_DEADLINE_SECONDS: '1',
      FHIR_BASE_URL: 'http://127.0.0.1:1234/api/v1/connect/fhir',
    });
    expect(second!.env.VERTO_OUTPUT_DIR).toBe(join(s.workDir, 'run-02-slow'));
  });

  it("empties a run's output folder left by an earlier grade", async () => {
    const s = settings({ scenarios: [null] });
    const evaluator = new FakeEvaluator();
    const deps = { control: new FakeControl(), evaluator };
    const writing: GradeDeps['runClient'] = async (o) => {
      writeFileSync(join(o.env.VERTO_OUTPUT_DIR!, 'Patient.ndjson'), '{"resourceType":"Patient","id":"p1"}\n');
      return scriptedClient([0]).runClient(o);
    };
    await grade(s, { ...deps, runClient: writing });
    await grade(s, { ...deps, runClient: scriptedClient([0]).runClient });
    expect(evaluator.facts.map((f) => f.written)).toEqual([[{ resourceType: 'Patient', id: 'p1' }], []]);
  });

  it('has no FHIR_BASE_URL in the Verto profile', async () => {
    const client = scriptedClient([0]);
    await grade(settings({ scenarios: [null] }), { control: new FakeControl(), evaluator: new FakeEvaluator(), runClient: client.runClient });
    expect(client.seen[0]!.env).not.toHaveProperty('FHIR_BASE_URL');
  });

  it('evaluates what the client wrote (its NDJSON files), its exit code and the journal, with the requirements of the run', async () => {
    const control = new FakeControl();
    control.journals = [[entry({ jobId: 'j1' })]];
    const evaluator = new FakeEvaluator();
    const runClient = scriptedClient([3]).runClient;
    const s = settings({ scenarios: [null] });
    const writing = async (o: Parameters<typeof runClient>[0]) => {
      writeFileSync(join(o.env.VERTO_OUTPUT_DIR!, 'Patient.ndjson'), '{"resourceType":"Patient","id":"p1"}\n{"resourceType":"Patient","id":"p2"}\n');
      writeFileSync(join(o.env.VERTO_OUTPUT_DIR!, 'Condition.ndjson'), '{"resourceType":"Condition","id":"c1"}\nnot json\n');
      writeFileSync(join(o.env.VERTO_OUTPUT_DIR!, 'client.log'), '{"resourceType":"Patient","id":"in a log"}\n');
      return runClient(o);
    };
    await grade(s, { control, evaluator, runClient: writing });

    const [facts] = evaluator.facts;
    expect(facts).toEqual({
      profile: 'verto',
      basePath: '/api/v1/connect',
      entries: [entry({ jobId: 'j1' })],
      exports: [{ jobId: 'j1', scenarios: [], files: [], requiresAccessToken: true }],
      exitCode: 3,
      timedOut: false,
      written: [
        { resourceType: 'Condition', id: 'c1' },
        { resourceType: '', id: '' },
        { resourceType: 'Patient', id: 'p1' },
        { resourceType: 'Patient', id: 'p2' },
      ],
    });
  });

  it('gives the JSON of the issue: client, profile, runs with their results, and a summary', async () => {
    const control = new FakeControl();
    control.journals = [[entry({ jobId: 'j1' })], [entry({ jobId: 'j2', status: 503 })], []];
    const report = await grade(settings(), { control, evaluator: new FakeEvaluator(), runClient: scriptedClient([0, 1, 'timeout']).runClient });
    const json = JSON.parse(JSON.stringify(report)) as unknown;

    expect(json).toEqual({
      client: 'node client.mjs',
      profile: 'verto',
      runs: [
        { scenario: null, exitCode: 0, timedOut: false, jobIds: ['j1'], results: [{ requirement: 'exit.honest', outcome: 'pass', evidence: { reason: 'fine', entries: [] } }] },
        {
          scenario: 'poll-transient',
          exitCode: 1,
          timedOut: false,
          jobIds: ['j2'],
          results: [
            { requirement: 'exit.honest', outcome: 'fail', evidence: { reason: 'the client exited <1> & "lost" data', entries: [entry({ jobId: 'j2', status: 503 })] } },
            { requirement: 'poll.retries-transient', outcome: 'pass', evidence: { reason: 'fine', entries: [] } },
          ],
        },
        {
          scenario: 'kickoff-throttled',
          exitCode: null,
          timedOut: true,
          jobIds: [],
          results: [
            { requirement: 'exit.honest', outcome: 'fail', evidence: { reason: 'the client exited <1> & "lost" data', entries: [] } },
            { requirement: 'kickoff.waits-after-429', outcome: 'not-exercised', evidence: { reason: 'fine', entries: [] } },
          ],
        },
      ],
      summary: { pass: 2, fail: 2, notExercised: 1 },
    });
  });
});

describe("the grade's exit code", () => {
  const report = (fail: number, timedOut = false) => ({
    client: 'c',
    profile: 'verto' as const,
    runs: [{ scenario: null, exitCode: 0, timedOut, jobIds: [], results: [] }],
    summary: { pass: 3, fail, notExercised: 4 },
  });

  it('is 0 when every exercised requirement passed, whatever was not exercised', () => {
    expect(gradeExitCode(report(0))).toBe(0);
  });

  it('is 1 when a requirement failed', () => {
    expect(gradeExitCode(report(1))).toBe(1);
  });

  it('is 1 when a client overran its deadline, even with nothing failed', () => {
    expect(gradeExitCode(report(0, true))).toBe(1);
  });
});

describe('the jobs of a run', () => {
  it('are the job ids the journal mentions, in the order it first mentions them', () => {
    expect(jobIdsOf([entry(), entry({ jobId: 'b' }), entry({ jobId: 'a' }), entry({ jobId: 'b' })])).toEqual(['b', 'a']);
  });
});
