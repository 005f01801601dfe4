// The data set's documentation matches what the generator makes with the default settings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { openDatabase } from '../../src/store/database.js';
import { seedInto } from '../../seed/seed-database.js';

describe('docs/data.md', () => {
  const doc = readFileSync(new URL('../../docs/data.md', import.meta.url), 'utf8');

  it('shows the counts the seed command prints for the default settings', async () => {
    const defaults = loadConfig({}).dataset;
    expect(defaults).toEqual({ patients: 100, seed: 1, referenceDate: '2026-01-01' });
    // What `npm run seed` writes (and prints): the generated population and the Groups
    // derived from it.
    const db = openDatabase(':memory:');
    const counts = await seedInto(db, defaults);
    db.close();
    const table = doc.slice(doc.indexOf('<!-- counts:start -->'), doc.indexOf('<!-- counts:end -->'));
    const rows = [...table.matchAll(/^\| (\*\*total\*\*|[A-Za-z]+) \| (?:\*\*)?(\d+)(?:\*\*)? \|$/gm)].map((m) => [m[1], Number(m[2])]);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(rows).toEqual([...EXPORTABLE_TYPES.map((t) => [t, counts[t]]), ['Group', counts.Group], ['Provenance', counts.Provenance], ['**total**', total]]);
  });

  it('is linked from the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/## Data set[\s\S]*\(docs\/data\.md\)/);
  });
});
