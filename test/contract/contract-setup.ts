// Runs before every test file (vitest.config.ts, setupFiles): a test fails when any response
// its apps sent departed from the API document (see recorder.ts).
import { afterEach } from 'vitest';
import { takeViolations } from './recorder.js';

afterEach(() => {
  const problems = takeViolations();
  if (problems.length > 0) {
    throw new Error(`Responses that depart from openapi/openapi.yaml:\n  ${problems.join('\n  ')}`);
  }
});
