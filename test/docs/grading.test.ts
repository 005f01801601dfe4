// The guide to grading a client (docs/grading.md) against the requirement catalog
// (src/conformance/catalog.ts): its table lists every requirement, in the catalog's order, with
// the catalog's own sentence, source and scenarios, so what a team reads is what is checked.
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../src/conformance/catalog.js';
import { codeSpans, readDoc, section, tableRows } from './markdown.js';

const grading = readDoc('docs/grading.md');

interface RequirementRow {
  id: string;
  sentence: string;
  source: string;
  scenarios: readonly string[] | 'all';
}

/** The rows of the table under "The requirements", as the catalog's fields. */
function requirementRows(): RequirementRow[] {
  return tableRows(section(grading, 'The requirements')).map((cells) => {
    expect(cells, cells[0]).toHaveLength(4);
    const [id, sentence, source, scenarios] = cells as [string, string, string, string];
    expect(codeSpans(id), id).toHaveLength(1);
    return { id: codeSpans(id)[0]!, sentence, source, scenarios: scenarios === 'all' ? 'all' : codeSpans(scenarios) };
  });
}

describe('docs/grading.md, the requirement table', () => {
  const rows = requirementRows();

  it('lists every requirement of the catalog, once, in its order, and no other', () => {
    expect(REQUIREMENTS.length).toBeGreaterThanOrEqual(15);
    expect(rows.map((r) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
  });

  for (const requirement of REQUIREMENTS) {
    it(`gives ${requirement.id} the catalog's sentence, source and scenarios`, () => {
      const row = rows.find((r) => r.id === requirement.id);
      expect(row).toEqual({
        id: requirement.id,
        sentence: requirement.sentence,
        source: requirement.source,
        scenarios: requirement.scenarios === 'all' ? 'all' : [...requirement.scenarios],
      });
    });
  }

  it('is where the behaviour reference sends a reader for the requirements', () => {
    expect(section(readDoc('docs/behaviour.md'), 'Admin API')).toContain('(grading.md');
  });
});
