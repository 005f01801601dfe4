// What the server loads at start: never the data generator (faker and its locale tables, tens
// of MB of resident memory). It reaches it through src/seeding/generator-port.ts, by dynamic
// import(), only to add clock activity or fill an in-memory database; a database file is seeded
// in a child process. This walks the static imports from the server's entry point and fails if
// one of them reaches the generator.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Specifiers of a module's value imports and re-exports (`import type` and `export type` left out). */
export function staticImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gms;
  for (const match of source.matchAll(statement)) {
    const [, keyword, typeOnly, clause, specifier] = match;
    if (typeOnly) continue;
    if (keyword === 'export' && !clause) continue;
    found.push(specifier!);
  }
  return found;
}

/** Every module reached through static imports from `entry`: project files by path, packages by name. */
function reachable(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!packages.has(specifier)) packages.set(specifier, relative(ROOT, file));
    }
  };
  visit(resolve(ROOT, entry));
  return { files, packages };
}

describe('the server at start', () => {
  it('reads value imports and skips type-only ones', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import {\n  c,\n  type D,\n} from './c.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      "import './g.js';",
      "const h = await import('./h.js');",
      'export const i = 1;',
    ].join('\n');
    expect(staticImports(source)).toEqual(['./a.js', './c.js', './e.js', './g.js']);
  });

  it('does not load the data generator or faker until it needs them', () => {
    const { files, packages } = reachable('src/server.ts');
    expect(files.size).toBeGreaterThan(20);
    expect(packages.has('fastify')).toBe(true);
    const generator = [...files].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('seed/'));
    expect(generator).toEqual([]);
    expect([...packages.keys()].filter((p) => p.startsWith('@faker-js/'))).toEqual([]);
  });
});
