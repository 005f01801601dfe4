// `kickoff-error`: the kick-off fails on the server; no job is created.
import { HttpError } from '../errors.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { defineScenario } from './scenario.js';

export const kickoffError = defineScenario({
  name: 'kickoff-error',
  description: 'The kick-off answers 500 with an OperationOutcome (exception); no job is created.',
  clientShould: 'Report the failure; retry the kick-off later if it is idempotent for you.',
  settings: [],
  hooks: {
    kickoff() {
      throw new HttpError(500, operationOutcome('fatal', 'exception', 'The kick-off failed (simulated by the "kickoff-error" scenario).'));
    },
  },
});
