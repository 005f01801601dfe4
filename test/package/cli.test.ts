// The command line (src/cli/): serve's flags stand for settings and are named as flags when
// wrong; --help lists them with their variables; import and seed hand over to the seed command.
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVE_FLAGS, serveEnvironment } from '../../src/cli/serve-flags.js';
import { ConfigError } from '../../src/config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });

describe('serve flags', () => {
  const given = (values: Record<string, unknown>) => (attribute: string) => attribute in values;

  it('put each flag given in place of its variable and keep the rest of the environment', () => {
    const values = { port: '0', db: ':memory:', patients: '7', basePath: '/fhir/r4' };
    const env = serveEnvironment({ PORT: '3000', AUTH: 'off', DATASET_PATIENTS: '100' }, values, given(values));
    expect(env).toMatchObject({ PORT: '0', DATABASE_PATH: ':memory:', DATASET_PATIENTS: '7', BASE_PATH: '/fhir/r4', AUTH: 'off' });
  });

  it('name a bad flag as the flag, and a bad variable as the variable', () => {
    const values = { port: 'eighty', profile: 'fancy' };
    let err: unknown;
    try {
      serveEnvironment({ JOB_CONCURRENCY: '0' }, values, given(values));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as Error).message.split('\n');
    expect(lines).toContain('  --port="eighty": must be a whole number');
    expect(lines.some((l) => l.startsWith('  --profile="fancy": '))).toBe(true);
    expect(lines.some((l) => l.startsWith('  JOB_CONCURRENCY="0": '))).toBe(true);
  });

  it('are listed by serve --help, each with its variable', async () => {
    const { stdout } = await cli(['serve', '--help']);
    const help = stdout.replace(/\s+/g, ' ');
    for (const { flag, setting } of SERVE_FLAGS) expect(help).toMatch(new RegExp(`${flag.split(' ')[0]} .*?\\(env: ${setting}\\)`));
  });
});

describe('the command', () => {
  it('stops serve on a bad flag with the flag named and exit code 1', async () => {
    const err = (await cli(['serve', '--port', 'eighty']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('--port="eighty": must be a whole number');
  });

  it('asks import for its folder first', async () => {
    const err = (await cli(['import', '--db', 'x.db']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('import needs the folder of .ndjson files first');
  });
});
