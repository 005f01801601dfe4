// `job-fails`: the job plans its files, shows progress, then fails: the poll answers 500.
import { operationOutcome } from '../fhir/operation-outcome.js';
import { defineScenario } from './scenario.js';

export const jobFails = defineScenario({
  name: 'job-fails',
  description: 'Polling shows progress, then answers 500 with an OperationOutcome: the job failed.',
  clientShould: 'Stop polling; report the OperationOutcome; start a new export if wanted.',
  settings: [],
  hooks: {
    failure: (jobId) => operationOutcome('fatal', 'exception', `Export job ${jobId} failed (simulated by the "job-fails" scenario).`),
  },
});
