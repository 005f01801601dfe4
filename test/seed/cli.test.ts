// `npm run seed`: bad options are refused by the names the user typed, before anything is written.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from '../scratch.js';

const scratch = scratchFolder('seed-cli');

const seed = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'seed/cli.ts', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('npm run seed', () => {
  it.each([
    [['--patients', '0'], '--patients="0"'],
    [['--reference-date', '2026-13-01'], '--reference-date="2026-13-01": must be a real calendar date'],
  ])('refuses %j naming the option', (args, message) => {
    const db = join(scratch, 'never.db');
    const run = seed(...args, '--db', db);
    expect(run.status).toBe(1);
    expect(run.stderr + run.stdout).toContain('Invalid options:');
    expect(run.stderr + run.stdout).toContain(message);
    expect(run.stderr + run.stdout).not.toContain('DATASET_');
    expect(existsSync(db)).toBe(false);
  });
});
