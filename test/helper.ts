// Builds a fresh app per test from a test config: a copy of a seeded database in a temp
// folder, zero job delay, silent log, and a clock that moves only when the test says so.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { EXPORTABLE_TYPES } from '../src/fhir/resource-types.js';
import { loadConfig, type Config, type DatasetParams } from '../src/config.js';
import { createSeededDatabase, removeDatabaseFiles } from '../seed/seed-database.js';
import { recordContract } from './contract/recorder.js';
import { scratchFolder } from './scratch.js';

export const TEST_DATASET: DatasetParams = { patients: 60, seed: 7, referenceDate: '2026-01-01' };
export const BASE = '/api/v1/connect';
/** 2026-03-01T00:00:00Z: the injected clock's start. */
export const T0 = Date.UTC(2026, 2, 1);

const scratch = scratchFolder('databases');
const templates = new Map<string, Promise<string>>();
let copies = 0;

/** A fresh copy of a database seeded with `params` (each distinct set is generated once per test file). */
export async function seededDatabaseCopy(params: DatasetParams = TEST_DATASET): Promise<string> {
  const key = `${params.patients}-${params.seed}-${params.referenceDate}`;
  let template = templates.get(key);
  if (!template) {
    const path = join(scratch, `template-${key}.db`);
    template = createSeededDatabase(path, params).then(() => path);
    templates.set(key, template);
  }
  const copy = join(scratch, `db-${++copies}.db`);
  copyFileSync(await template, copy);
  return copy;
}

/** A path in the scratch folder where no database exists yet. */
export function freshDatabasePath(): string {
  return join(scratch, `new-${++copies}.db`);
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATASET_PATIENTS: String(TEST_DATASET.patients),
    DATASET_SEED: String(TEST_DATASET.seed),
    DATASET_REFERENCE_DATE: TEST_DATASET.referenceDate,
    JOB_MIN_DURATION_MS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  config: Config;
}

/** An app on a copy of the test database (or `env.DATABASE_PATH`), ready to take requests. */
export async function buildTestApp(env: Record<string, string> = {}, clock = new ManualClock(T0)): Promise<TestApp> {
  const databasePath = env.DATABASE_PATH ?? (await seededDatabaseCopy());
  const config = testConfig({ ...env, DATABASE_PATH: databasePath });
  const app = buildApp(config, { clock, logger: false });
  // A copy made here is this app's alone: remove it when the app closes, so a file's copies
  // do not pile up on the disk until its last test.
  if (env.DATABASE_PATH === undefined) app.addHook('onClose', async () => removeDatabaseFiles(databasePath));
  // Contract: every response this app sends is checked against openapi/openapi.yaml.
  recordContract(app);
  await app.ready();
  await app.store.whenReady;
  return { app, clock, config };
}

export async function getToken(app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: { grant_type: 'password', username: app.config.auth.username, password: app.config.auth.password },
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The path+query of an absolute URL, for inject. */
export const pathOf = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

export async function kickOff(app: FastifyInstance, token: string, query = '', headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: `${BASE}/fhir/$export${query}`, headers: { ...bearer(token), ...headers } });
  return res;
}

/**
 * Polls until the job answers something other than 202, honouring Retry-After on the
 * injected clock. Fails loudly after `maxPolls`.
 */
export async function pollUntilDone(
  t: TestApp,
  pollUrl: string,
  token: string,
  maxPolls = 200,
): Promise<{ final: LightMyRequestResponse; polls: LightMyRequestResponse[] }> {
  const polls: LightMyRequestResponse[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const res = await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(token) });
    if (res.statusCode !== 202) return { final: res, polls };
    polls.push(res);
    t.clock.advance(Number(res.headers['retry-after']) * 1000);
    await sleep(2); // let the runner work
  }
  throw new Error(`the job at ${pollUrl} was still running after ${maxPolls} polls`);
}

/** Waits (boundedly, failing loudly) until the runner has planned the job's files. */
export async function jobPlanned(t: TestApp, pollUrl: string): Promise<void> {
  const id = new URL(pollUrl).searchParams.get('_jobId')!;
  for (let i = 0; i < 500; i++) {
    if (t.app.store.repos().jobs.get(id)?.readyAt != null) return;
    await sleep(2);
  }
  throw new Error(`job ${id} was not planned in time`);
}

/** How many resources of each exportable type the app's store holds. */
export function storedCounts(app: FastifyInstance): Record<string, number> {
  const all = app.store.repos().resources.countsByType();
  return Object.fromEntries(EXPORTABLE_TYPES.filter((t) => all[t]).map((t) => [t, all[t]!]));
}

/** How many files an export of `types` (default: all) makes with `perFile` resources per file. */
export function expectedFileCount(app: FastifyInstance, perFile: number, types: readonly string[] = EXPORTABLE_TYPES): number {
  const counts = storedCounts(app);
  return types.reduce((n, t) => n + Math.ceil((counts[t] ?? 0) / perFile), 0);
}

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

/** Token, kick-off and polling: the manifest of a finished export. */
export async function runExport(t: TestApp, query = '', token?: string): Promise<Manifest> {
  const tok = token ?? (await getToken(t.app));
  const kick = await kickOff(t.app, tok, query);
  if (kick.statusCode !== 202) throw new Error(`kick-off failed: ${kick.statusCode} ${kick.body}`);
  const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, tok);
  if (final.statusCode !== 200) throw new Error(`export failed: ${final.statusCode} ${final.body}`);
  return final.json() as Manifest;
}

export async function download(app: FastifyInstance, url: string, token: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `${BASE}${url}`, headers: bearer(token) });
}

/** Parses an NDJSON body strictly: every line a JSON object, `\n` after each, no blank line. */
export function parseNdjson(body: string): Record<string, unknown>[] {
  if (body === '') return [];
  if (!body.endsWith('\n')) throw new Error('NDJSON body does not end with a newline');
  return body
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      if (line === '') throw new Error(`blank line at ${i + 1}`);
      return JSON.parse(line) as Record<string, unknown>;
    });
}
