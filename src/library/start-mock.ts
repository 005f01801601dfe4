// The mock inside a Node test suite (docs/npm-package.md, "The library"): the app itself on a
// free loopback port, with the admin API's controls (arm, journal, report, reset) as plain
// calls on the app rather than requests, so that they leave no entries in the journal the
// tests read. Each call makes its own app and database: several mocks in one process share
// nothing.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { listenOptions } from '../http/server-options.js';
import type { ExportReport } from '../conformance/export-report.js';
import { badRequest, shown } from '../errors.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { JournalFilter } from '../journal/ring.js';
import { assertScenariosApply, isScenarioName, SCENARIO_NAMES, type ScenarioName } from '../scenarios/catalog.js';
import { resetMock } from '../routes/mock-admin.js';
import { reportOf } from '../routes/mock-report.js';

export interface StartMockOptions {
  /** `verto` (Verto's documented surface, the default) or `standard` (the Bulk Data IG's). */
  profile?: 'verto' | 'standard';
  /** Patients of the synthetic population (DATASET_PATIENTS); default 10. */
  patients?: number;
  /** Generator seed (DATASET_SEED); default 1. The same seed and size give the same data. */
  seed?: number;
  /** A database file to open, or to create and seed when it does not exist; default in memory. */
  dbPath?: string;
  /** Scenarios armed from the start, as `arm()` would arm them. */
  scenarios?: (ScenarioName | { scenario: ScenarioName; count?: number })[];
  /** Any other setting by its environment variable's name (docs/behaviour.md, "Settings"), e.g. `{ AUTH: 'off' }`. */
  settings?: Record<string, string>;
}

export interface ArmOptions {
  /** How many kick-offs the scenario applies to; left out, until disarmed or reset (as the admin API). */
  count?: number;
}

export interface RunningMock {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The FHIR base URL: origin and base path (`/api/v1/connect` unless BASE_PATH says otherwise). */
  baseUrl: string;
  /** Where a client gets its token (`<origin>/oauth/token`). */
  tokenUrl: string;
  /** The user a client signs in as (password grant). */
  credentials: { username: string; password: string };
  /** Arms a simulated fault for the next kick-offs. */
  arm(scenario: ScenarioName, options?: ArmOptions): Promise<void>;
  /** The request journal, oldest first, optionally filtered by job, time and count. */
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** How the client of one export behaved, requirement by requirement (docs/behaviour.md, "Client report"). */
  report(jobId: string): Promise<ExportReport>;
  /** Forgets every job, armed scenario and journal entry; the data set stays. */
  reset(): Promise<void>;
  /** Stops the server and closes its database. */
  close(): Promise<void>;
  /** The Fastify app, for what the calls above do not cover. */
  app: FastifyInstance;
}

/** The library's defaults: a small data set in memory, and jobs that finish in a third of a second. */
export const LIBRARY_SETTINGS: Record<string, string> = {
  DATABASE_PATH: ':memory:',
  DATASET_PATIENTS: '10',
  DATASET_SEED: '1',
  JOB_MIN_DURATION_MS: '300',
  LOG_LEVEL: 'silent',
};

/** The settings of one mock: options over `settings` over the defaults; always a free loopback port. */
export function mockSettings(options: StartMockOptions): Record<string, string> {
  const fromOptions: Record<string, string | undefined> = {
    PROFILE: options.profile,
    DATASET_PATIENTS: options.patients === undefined ? undefined : String(options.patients),
    DATASET_SEED: options.seed === undefined ? undefined : String(options.seed),
    DATABASE_PATH: options.dbPath,
  };
  const given = Object.fromEntries(Object.entries(fromOptions).filter((e): e is [string, string] => e[1] !== undefined));
  return { ...LIBRARY_SETTINGS, ...options.settings, ...given, HOST: '127.0.0.1', PORT: '0' };
}

function armedScenario(value: unknown): ScenarioName {
  if (typeof value !== 'string' || !isScenarioName(value)) {
    throw badRequest(`The scenario must be one of: ${SCENARIO_NAMES.join(', ')}${typeof value === 'string' ? ` (got "${shown(value)}")` : ''}.`, 'scenario');
  }
  return value;
}

function armedCount(count: unknown): number | null {
  if (count === undefined) return null;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
    throw badRequest('count must be a whole number from 1 to 1000000 (or left out: until disarmed).', 'count');
  }
  return count;
}

/** Starts a mock and resolves once it serves exports (its data set seeded). */
export async function startMock(options: StartMockOptions = {}): Promise<RunningMock> {
  const config = loadConfig(mockSettings(options));
  const app = buildApp(config, { logger: false });
  const arm = async (scenario: ScenarioName, armOptions: ArmOptions = {}) => {
    const name = armedScenario(scenario);
    const count = armedCount(armOptions.count);
    assertScenariosApply([name], app.config.auth.enabled, 'scenario');
    app.scenarioArming.arm(name, count);
  };
  try {
    await app.listen(listenOptions(config));
    await app.store.whenReady;
    for (const s of options.scenarios ?? []) {
      if (typeof s === 'string') await arm(s);
      else await arm(s.scenario, { count: s.count });
    }
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the mock has no TCP address');
  const origin = `${config.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  return {
    origin,
    baseUrl: `${origin}${config.basePath}`,
    tokenUrl: `${origin}/oauth/token`,
    credentials: { username: config.auth.username, password: config.auth.password },
    arm,
    async requests(filter = {}) {
      return app.journal.list({ ...filter, ...(filter.jobId === undefined ? {} : { jobId: filter.jobId.toLowerCase() }) });
    },
    async report(jobId) {
      return reportOf(app, jobId);
    },
    async reset() {
      resetMock(app);
    },
    close: () => app.close(),
    app,
  };
}
