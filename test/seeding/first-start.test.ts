// The database is created and seeded on first start, atomically, and a database made with
// other dataset settings is not served.
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError } from '../../src/config.js';
import { openDatabase } from '../../src/store/database.js';
import { createSeededDatabase, isRunning } from '../../seed/seed-database.js';
import { createDatabaseFile } from '../../src/seeding/generator-port.js';
import { recordContract } from '../contract/recorder.js';
import { freshDatabasePath, seededDatabaseCopy, testConfig, TEST_DATASET } from '../helper.js';

const contentHash = (path: string) => {
  const db = openDatabase(path);
  const hash = createHash('sha256');
  for (const row of db.prepare('SELECT type, id, patient_id, last_updated, json FROM resource ORDER BY rid').raw().iterate()) {
    hash.update(JSON.stringify(row));
  }
  db.close();
  return hash.digest('hex');
};

describe('seeding', () => {
  it('same seed and size give byte-identical database content; another seed differs', async () => {
    const a = freshDatabasePath();
    const b = freshDatabasePath();
    const c = freshDatabasePath();
    await createSeededDatabase(a, TEST_DATASET);
    await createSeededDatabase(b, TEST_DATASET);
    await createSeededDatabase(c, { ...TEST_DATASET, seed: TEST_DATASET.seed + 1 });
    expect(contentHash(b)).toBe(contentHash(a));
    expect(contentHash(c)).not.toBe(contentHash(a));
  });

  it('removes the temporary files of builds killed half-way, not of builds still running', async () => {
    const path = freshDatabasePath();
    let gonePid = 4_000_000;
    while (isRunning(gonePid)) gonePid--;
    const host = hostname().replace(/[^A-Za-z0-9.]/g, '_');
    const hourAgo = new Date(Date.now() - 3_600_000);
    // This host's build whose process is gone: removed at once.
    const gone = [`${path}.seeding-${host}-${gonePid}`, `${path}.seeding-${host}-${gonePid}-journal`, `${path}.importing-${host}-${gonePid}`];
    // Another host's (or container's) build, untouched for an hour: removed.
    const stale = `${path}.seeding-other-host-${process.pid}`;
    // Kept: this host's build still running; another host's build written just now; not a build.
    const running = `${path}.seeding-${host}-${process.ppid}`;
    const elsewhere = `${path}.seeding-other-host-${gonePid}`;
    const unrelated = `${path}.seeding-notes`;
    for (const file of [...gone, stale, running, elsewhere, unrelated]) writeFileSync(file, 'left behind');
    utimesSync(stale, hourAgo, hourAgo);
    await createSeededDatabase(path, { ...TEST_DATASET, patients: 2 });
    const left = readdirSync(dirname(path)).filter((f) => f.startsWith(basename(path)));
    expect(left.sort()).toEqual([path, running, elsewhere, unrelated].map((f) => basename(f)).sort());
    for (const file of [running, elsewhere, unrelated]) rmSync(file);
  });

  it('a seeding that fails part-way leaves neither the database nor a temp file', async () => {
    const path = freshDatabasePath();
    await expect(
      createSeededDatabase(path, { ...TEST_DATASET, patients: 500 }, {
        batchSize: 100,
        onProgress: (p) => {
          if (p.resources > 300) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith(basename(path)))).toEqual([]);
  });

  it('on first start /health answers 503 while seeding, then 200', async () => {
    const path = freshDatabasePath();
    const app = buildApp(testConfig({ DATABASE_PATH: path, DATASET_PATIENTS: '400' }), { logger: false });
    recordContract(app);
    try {
      await app.ready();
      const early = await app.inject({ method: 'GET', url: '/health' });
      expect(early.statusCode).toBe(503);
      expect(early.json()).toMatchObject({ status: 'starting' });
      const token = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'password', username: 'demo@example.com', password: 'demo' },
      });
      expect(token.statusCode).toBe(503);
      await app.store.whenReady;
      const ready = await app.inject({ method: 'GET', url: '/health' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ok',
        version: '0.1.0',
        profile: 'verto',
        dataset: { patients: 400, seed: TEST_DATASET.seed, referenceDate: TEST_DATASET.referenceDate },
      });
      expect(existsSync(path)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('a database made with other dataset settings stops the start, saying how to regenerate', async () => {
    const path = await seededDatabaseCopy();
    const app = buildApp(testConfig({ DATABASE_PATH: path, DATASET_SEED: '99' }), { logger: false });
    await expect(app.ready()).rejects.toThrow(ConfigError);
    await expect(
      buildApp(testConfig({ DATABASE_PATH: path, DATASET_SEED: '99' }), { logger: false }).ready(),
    ).rejects.toThrow(/DATASET_SEED=7 \(now 99\).*npm run seed -- --db .* --patients 60 --seed 99/);
    await app.close().catch(() => undefined);
  });
});

describe('seeding in a process of its own (a first start)', () => {
  it('makes the same database as seeding in this process', async () => {
    const inProcess = freshDatabasePath();
    const child = freshDatabasePath();
    const counts = await createSeededDatabase(inProcess, TEST_DATASET);
    expect(await createDatabaseFile(child, TEST_DATASET)).toEqual(counts);
    expect(contentHash(child)).toBe(contentHash(inProcess));
    expect(readdirSync(dirname(child)).filter((f) => f.startsWith(`${basename(child)}.`))).toEqual([]);
  });

  it('stops when asked, rejecting with the reason once its temporary file is gone', async () => {
    const path = freshDatabasePath();
    const stop = new AbortController();
    const seeding = createDatabaseFile(path, { ...TEST_DATASET, patients: 20_000 }, stop.signal);
    // Once its temporary file exists, the child is seeding.
    while (!readdirSync(dirname(path)).some((f) => f.startsWith(`${basename(path)}.seeding-`))) await new Promise((r) => setTimeout(r, 20));
    stop.abort(new Error('closing'));
    await expect(seeding).rejects.toThrow('closing');
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith(basename(path)))).toEqual([]);
  });

  it('reports why it failed, with the system error code', async () => {
    const notAFolder = freshDatabasePath();
    writeFileSync(notAFolder, 'a file where the database folder should be');
    const failed = await createDatabaseFile(`${notAFolder}/x.db`, TEST_DATASET).catch((err: unknown) => err as NodeJS.ErrnoException);
    expect(failed).toBeInstanceOf(Error);
    expect(failed?.code).toMatch(/^(EEXIST|ENOTDIR)$/);
    rmSync(notAFolder);
  });
});
