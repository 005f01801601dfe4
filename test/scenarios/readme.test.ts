// The README's table of simulated faults names exactly the scenarios the server has.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';

describe('README, "Simulated faults"', () => {
  it('has a row for every scenario and none other', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Simulated faults'), readme.indexOf('\n## ', readme.indexOf('## Simulated faults') + 1));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...SCENARIO_NAMES]);
  });
});
