// An app like buildTestApp's, but with the production logger (its redaction and serializers)
// writing into a LogCapture, so tests can read exactly what a deployed server would print.
import { buildApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/clock.js';
import { recordContract } from '../../contract/recorder.js';
import { T0, seededDatabaseCopy, testConfig, type TestApp } from '../../helper.js';
import { LogCapture } from './log-capture.js';

export interface LoggedApp extends TestApp {
  log: LogCapture;
}

export async function buildLoggedApp(env: Record<string, string> = {}, clock = new ManualClock(T0)): Promise<LoggedApp> {
  const log = new LogCapture();
  const config = testConfig({ LOG_LEVEL: 'info', ...env, DATABASE_PATH: env.DATABASE_PATH ?? (await seededDatabaseCopy()) });
  const app = buildApp(config, { clock, logStream: log });
  // Contract: every response this app sends is checked against openapi/openapi.yaml, as in buildTestApp.
  recordContract(app);
  await app.ready();
  await app.store.whenReady;
  return { app, clock, config, log };
}
