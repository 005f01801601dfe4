// What a request's handling tells the journal that the request itself does not show: the export
// job and file it concerns, and the simulated fault that shaped its answer. Routes and the
// scenario hooks note these; with the journal off there is nowhere to note them and nothing
// is kept.
import type { ScenarioName } from '../scenarios/catalog.js';

export interface RequestNotes {
  jobId: string | null;
  fileId: string | null;
  scenario: ScenarioName | null;
}

/** Where the journal keeps a request's notes (on the Fastify request). */
export const NOTES: unique symbol = Symbol('journal notes');
/** The scenario whose hook threw an error, on the error itself. */
const SHAPED_BY: unique symbol = Symbol('shaped by scenario');

type Noted = { [NOTES]?: RequestNotes };

export function noteJob(request: object, jobId: string, fileId?: string): void {
  const notes = (request as Noted)[NOTES];
  if (!notes) return;
  notes.jobId = jobId;
  if (fileId !== undefined) notes.fileId = fileId;
}

/** The scenario shaped this request's answer (the first to do so wins). */
export function noteScenario(request: object, scenario: ScenarioName): void {
  const notes = (request as Noted)[NOTES];
  if (notes && notes.scenario === null) notes.scenario = scenario;
}

/** Marks an error thrown by a scenario's hook as that scenario's answer; returns the error. */
export function shapedBy<E>(error: E, scenario: ScenarioName): E {
  if (typeof error === 'object' && error !== null && !(SHAPED_BY in error)) {
    Object.defineProperty(error, SHAPED_BY, { value: scenario, enumerable: false });
  }
  return error;
}

/** The scenario whose hook threw this error, or null. */
export function scenarioOfError(error: unknown): ScenarioName | null {
  if (typeof error !== 'object' || error === null) return null;
  return ((error as { [SHAPED_BY]?: ScenarioName })[SHAPED_BY]) ?? null;
}
