// `files-expired`: the manifest is shown with Expires in the past; its files answer 404.
import { defineScenario } from './scenario.js';

export const filesExpired = defineScenario({
  name: 'files-expired',
  description: 'The manifest is ready but its files answer 404 (expired); Expires is in the past.',
  clientShould: 'Honour Expires: when files are gone, start a new export.',
  settings: [],
  hooks: {
    // A second before the job showed as done: expired by the time the client reads the manifest.
    filesExpireAt: (job) => job.readyAt! - 1000,
  },
});
