// The documented catalog of simulated faults (docs/simulated-faults.md) names exactly the
// scenarios the server has, and the behaviour reference and the README point to it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The text of a `## heading` section, up to the next `## ` heading. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/simulated-faults.md, the catalog of faults', () => {
  it('has a row for every scenario and none other', () => {
    const doc = read('docs/simulated-faults.md');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...SCENARIO_NAMES]);
  });

  it('is where the behaviour reference and the README send a reader', () => {
    expect(section(read('docs/behaviour.md'), 'Simulated faults')).toContain('(simulated-faults.md)');
    expect(section(read('README.md'), 'Simulated faults')).toContain('(docs/simulated-faults.md)');
  });
});
