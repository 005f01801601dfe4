import { describe, expect, it } from 'vitest';
import { parseScenarios } from '../../web/src/scenario-list.js';

describe('parseScenarios', () => {
  it('reads a list of named scenarios, under "scenarios" or bare', () => {
    const list = [
      { name: 'slow-job', description: 'Takes a while.', clientShould: 'Keep polling.' },
      { name: 'job-fails', description: 'Ends in 500.', armed: 2 },
    ];
    const expected = [
      { name: 'slow-job', description: 'Takes a while.', clientShould: 'Keep polling.' },
      { name: 'job-fails', description: 'Ends in 500.', clientShould: '' },
    ];
    expect(parseScenarios({ scenarios: list, armed: [] })).toEqual(expected);
    expect(parseScenarios(list)).toEqual(expected);
  });

  it('reads a map of name to description or to an object', () => {
    expect(parseScenarios({ scenarios: { 'slow-job': 'Takes a while.', 'job-fails': { description: 'Ends in 500.' } } })).toEqual([
      { name: 'slow-job', description: 'Takes a while.', clientShould: '' },
      { name: 'job-fails', description: 'Ends in 500.', clientShould: '' },
    ]);
  });

  it('drops what cannot be a header value and anything it does not understand', () => {
    expect(parseScenarios({ scenarios: [{ name: 'a,b' }, { name: 'bad name' }, 42, null, { description: 'no name' }, 'ok'] })).toEqual([
      { name: 'ok', description: '', clientShould: '' },
    ]);
    expect(parseScenarios(null)).toEqual([]);
    expect(parseScenarios('nothing')).toEqual([]);
  });
});
