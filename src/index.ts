// The package's entry (`import { startMock } from 'verto-fhir-mock'`; docs/npm-package.md).
export { startMock, type ArmOptions, type RunningMock, type StartMockOptions } from './library/start-mock.js';
export type { ExportReport } from './conformance/export-report.js';
export type { JournalEntry } from './journal/journal-entry.js';
export type { JournalFilter } from './journal/ring.js';
export type { ScenarioName } from './scenarios/catalog.js';
export { ConfigError } from './config.js';
export { HttpError } from './errors.js';
