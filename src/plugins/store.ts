// The database and its repositories. When the database file is absent it is created and
// seeded in a child process (src/seeding/generator-port.ts); until then `store.ready` is false
// and /health answers 503.
import { existsSync } from 'node:fs';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { serviceUnavailable } from '../errors.js';
import { assertDatasetMatches, openDatabase, type Db } from '../store/database.js';
import { createGroupRepository, type GroupRepository } from '../store/group-repository.js';
import { createJobRepository, type JobRepository } from '../store/job-repository.js';
import { createResourceRepository, type ResourceRepository } from '../store/resource-repository.js';
import { createTokenRepository, type TokenRepository } from '../store/token-repository.js';

export interface Repositories {
  db: Db;
  resources: ResourceRepository;
  jobs: JobRepository;
  tokens: TokenRepository;
  groups: GroupRepository;
}

export interface Store {
  /** True once the database is open and seeded. */
  readonly ready: boolean;
  /** Settles when the database is ready (or failed to become so). */
  readonly whenReady: Promise<void>;
  /** The repositories; throws a 503 while the database is still being created. */
  repos(): Repositories;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

async function storePlugin(app: FastifyInstance) {
  const { databasePath: path, dataset } = app.config;
  let repos: Repositories | undefined;

  const open = (db: Db): Repositories => ({
    db,
    resources: createResourceRepository(db),
    jobs: createJobRepository(db),
    tokens: createTokenRepository(db),
    groups: createGroupRepository(db),
  });

  // The generator is reached only to create a database (src/seeding/generator-port.ts): a
  // database file is seeded in a child process, so its memory does not stay with the server.
  const seeding = () => import('../seeding/generator-port.js');

  // A server asked to close while it seeds stops the seeding (the temporary file is removed;
  // the next start seeds again) rather than making the close wait for it.
  const stopSeeding = new AbortController();
  const { signal } = stopSeeding;

  const prepare = async (): Promise<void> => {
    if (path === ':memory:') {
      const db = openDatabase(path);
      try {
        await (await seeding()).seedInMemory(db, dataset, signal);
      } catch (err) {
        db.close();
        throw err;
      }
      repos = open(db);
      return;
    }
    if (!existsSync(path)) {
      app.log.info({ path, dataset }, 'database absent: creating and seeding it');
      const started = performance.now();
      const counts = await (await seeding()).createDatabaseFile(path, dataset, signal);
      app.log.info({ path, counts, ms: Math.round(performance.now() - started) }, 'database seeded');
    }
    const db = openDatabase(path);
    try {
      assertDatasetMatches(db, path, dataset);
    } catch (err) {
      db.close();
      throw err;
    }
    repos = open(db);
  };

  // Opening an existing database is quick and its mismatch must stop the start, so it is
  // awaited; only a first-start seeding runs in the background.
  let whenReady: Promise<void>;
  if (path !== ':memory:' && existsSync(path)) {
    await prepare();
    whenReady = Promise.resolve();
  } else {
    whenReady = prepare();
    whenReady.catch((err: unknown) => {
      if (signal.aborted) app.log.info({ path }, 'seeding stopped: the server is closing; the next start seeds again');
      else app.log.fatal({ err }, 'could not create the database');
    });
  }

  app.decorate('store', {
    get ready() {
      return repos !== undefined;
    },
    whenReady,
    repos() {
      if (!repos) throw serviceUnavailable('The server is still creating its data set; try again shortly.', 5);
      return repos;
    },
  } satisfies Store);

  app.addHook('onClose', async () => {
    if (!repos) stopSeeding.abort(new Error('the server is closing'));
    await whenReady.catch(() => undefined);
    if (repos?.db.open) repos.db.close();
  });
}

export default fp(storePlugin, { name: 'store', decorators: { fastify: ['config'] } });
