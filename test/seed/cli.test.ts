// `npm run seed`: creates the database asked for; bad options are refused by the names the
// user typed, before anything is written.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, readDatasetMeta } from '../../src/store/database.js';
import { createResourceRepository } from '../../src/store/resource-repository.js';
import { scratchFolder } from '../scratch.js';

const scratch = scratchFolder('seed-cli');

const seed = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'seed/cli.ts', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('npm run seed', () => {
  it('creates the database asked for and prints what it wrote', () => {
    const db = join(scratch, 'small.db');
    const run = seed('--patients', '3', '--seed', '5', '--reference-date', '2026-01-01', '--db', db);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Wrote ${db} (patients=3, seed=5, reference date 2026-01-01)`);
    const opened = openDatabase(db);
    try {
      expect(readDatasetMeta(opened)).toMatchObject({ patients: 3, seed: 5, referenceDate: '2026-01-01' });
      expect(createResourceRepository(opened).countsByType().Patient).toBe(3);
    } finally {
      opened.close();
    }
  });

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
