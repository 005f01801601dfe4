// X-Mock-Scenario is declared in the API document as one string with a generic pattern, not as
// an array of the scenario names: tools that read the document (Stoplight Prism's header
// deserializer) fail on an absent optional array header. The pattern must still admit every
// scenario of the catalog, alone and as the comma list the server reads.
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';

const header = (loadDocument() as unknown as { components: { parameters: Record<string, { schema: { type: string; pattern: string } }> } }).components
  .parameters.MockScenario!;
const pattern = new RegExp(header.schema.pattern, 'u');

describe('X-Mock-Scenario in the API document', () => {
  it('is a string, not an array', () => {
    expect(header.schema.type).toBe('string');
  });

  it.each(SCENARIO_NAMES)('admits the scenario %s', (name) => {
    expect(pattern.test(name)).toBe(true);
  });

  it('admits comma lists of them, with or without spaces', () => {
    expect(pattern.test(SCENARIO_NAMES.join(','))).toBe(true);
    expect(pattern.test(SCENARIO_NAMES.join(', '))).toBe(true);
  });

  it.each(['', ',', 'slow,', 'Slow', 'slow;partial', 'slow partial', '-slow'])('refuses %j', (value) => {
    expect(pattern.test(value)).toBe(false);
  });
});
