// `slow`: the job takes SCENARIO_SLOW_DURATION_MS instead of JOB_MIN_DURATION_MS, so a client
// sees X-Progress advance over several polls.
import { defineScenario } from './scenario.js';

export const slow = defineScenario({
  name: 'slow',
  description: 'The job takes SCENARIO_SLOW_DURATION_MS (10 s by default); X-Progress advances in steps.',
  clientShould: 'Keep polling, honouring Retry-After; show X-Progress to the user.',
  settings: ['SCENARIO_SLOW_DURATION_MS'],
  hooks: {
    durationMs: (settings) => settings.slowDurationMs,
  },
});
