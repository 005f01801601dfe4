// The mock the grader starts when no --origin is given: the app itself, on an in-memory data
// set of a few patients, listening on a free loopback port, with the scenario timings shrunk so
// that a full grade takes a couple of minutes (docs/grading.md says what each wait costs).
import type { FastifyInstance } from 'fastify';
import { startMock } from '../library/start-mock.js';

export interface InProcessMock {
  origin: string;
  basePath: string;
  username: string;
  password: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The settings of a grading mock; `overrides` are environment-style settings (tests pass a seeded database). */
export const GRADING_SETTINGS: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  DATABASE_PATH: ':memory:',
  DATASET_PATIENTS: '12',
  DATASET_SEED: '7',
  FILE_MAX_RESOURCES: '100',
  JOB_MIN_DURATION_MS: '300',
  SCENARIO_SLOW_DURATION_MS: '3000',
  SCENARIO_DOWNLOAD_BYTES_PER_SECOND: '32768',
  SCENARIO_STALL_MS: '20000',
  LOG_LEVEL: 'silent',
};

export async function startInProcessMock(profile: 'verto' | 'standard', overrides: Record<string, string> = {}): Promise<InProcessMock> {
  const mock = await startMock({ settings: { ...GRADING_SETTINGS, PROFILE: profile, ...overrides } });
  return {
    origin: mock.origin,
    basePath: mock.app.config.basePath,
    username: mock.credentials.username,
    password: mock.credentials.password,
    app: mock.app,
    close: mock.close,
  };
}
