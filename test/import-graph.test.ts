// The shape of the code's dependencies: no import cycle in src/, seed/ or web/src/ (type-only
// and dynamic imports count: a cycle of types is still two modules that cannot be read apart),
// and the server reaches the data generator through one module only, so that seed/ depends on
// src/ (its settings, FHIR types, the store it writes) and not the other way round. Import specifiers are read with the TypeScript compiler's
// own parser, not with patterns.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ImportEdge {
  specifier: string;
  kind: 'static' | 'type' | 'dynamic';
}

/** Every module specifier a file names: imports, re-exports, `import()` calls and `import('x').T` types. */
export function importsOf(source: string, fileName = 'module.ts'): ImportEdge[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: ImportEdge[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, kind: typeOnly ? 'type' : 'static' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'static' });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, kind: 'dynamic' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, kind: 'type' });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The project file a relative specifier names (`./a.js` is `./a.ts` in the sources), or undefined for packages and assets. */
function resolveLocal(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => /\.tsx?$/.test(c) && exists(c));
}

export type Graph = Map<string, Set<string>>;

/** The import graph of the given files: each file to the project files it names. */
export function buildGraph(files: Map<string, string>): Graph {
  const graph: Graph = new Map();
  for (const [path, source] of files) {
    const targets = new Set<string>();
    for (const { specifier } of importsOf(source, path)) {
      const target = resolveLocal(path, specifier, (p) => files.has(p));
      if (target !== undefined) targets.add(target);
    }
    graph.set(path, targets);
  }
  return graph;
}

/** The import cycles: strongly connected components with more than one file, or a file that imports itself (Tarjan). */
export function findCycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

function sourcesUnder(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(abs, f));
}

const PROJECT = new Map(['src', 'seed', 'web/src'].flatMap(sourcesUnder).map((f) => [f, readFileSync(f, 'utf8')] as const));
const rel = (f: string) => relative(ROOT, f);

describe('reading imports', () => {
  it('finds value, type-only, re-exported and dynamic imports, and import types', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C } from './c.js';",
      "import d, { type D } from './d.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      "import './g.js';",
      "const h = () => import('./h.js');",
      "let i: import('./i.js').I;",
      "const notAnImport = 'import(\"./j.js\")';",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.js', kind: 'static' },
      { specifier: './b.js', kind: 'type' },
      { specifier: './c.js', kind: 'type' },
      { specifier: './d.js', kind: 'static' },
      { specifier: './e.js', kind: 'static' },
      { specifier: './f.js', kind: 'type' },
      { specifier: './g.js', kind: 'static' },
      { specifier: './h.js', kind: 'dynamic' },
      { specifier: './i.js', kind: 'type' },
    ]);
  });
});

describe('finding cycles', () => {
  it('finds a cycle through type-only and dynamic imports, and a file that imports itself', () => {
    const files = new Map([
      ['/p/a.ts', "import { b } from './b.js';"],
      ['/p/b.ts', "import type { C } from './c.js';"],
      ['/p/c.ts', "export const c = () => import('./a.js');"],
      ['/p/d.ts', "import { a } from './a.js'; export { d } from './d.js';"],
      ['/p/e.ts', "import { d } from './d.js'; import 'fastify';"],
    ]);
    expect(findCycles(buildGraph(files))).toEqual([['/p/a.ts', '/p/b.ts', '/p/c.ts'], ['/p/d.ts']]);
  });

  it('finds none in a graph that only goes one way', () => {
    const files = new Map([
      ['/p/a.ts', "import { b } from './b.js'; import { c } from './c.js';"],
      ['/p/b.ts', "import type { C } from './c.js';"],
      ['/p/c.ts', 'export const c = 1;'],
    ]);
    expect(findCycles(buildGraph(files))).toEqual([]);
  });
});

describe('the project', () => {
  const graph = buildGraph(PROJECT);

  it('reads every source folder', () => {
    for (const dir of ['src/', 'seed/', 'web/src/']) expect([...PROJECT.keys()].some((f) => rel(f).startsWith(dir))).toBe(true);
    expect([...graph.values()].reduce((n, targets) => n + targets.size, 0)).toBeGreaterThan(200);
  });

  it('has no import cycle in src/, seed/ or web/src/', () => {
    expect(findCycles(graph).map((cycle) => cycle.map(rel))).toEqual([]);
  });

  it('reaches the data generator from the server through one module, by a lazy import', () => {
    const intoSeed = [...PROJECT].flatMap(([file, source]) =>
      rel(file).startsWith('src/')
        ? importsOf(source, file)
            .filter((e) => rel(resolve(dirname(file), e.specifier)).startsWith('seed/'))
            .map((e) => ({ from: rel(file), ...e }))
        : [],
    );
    expect(intoSeed).toEqual([{ from: 'src/seeding/generator-port.ts', specifier: '../../seed/in-process.js', kind: 'dynamic' }]);
  });

  it('lets the generator take from src/ only the settings, FHIR types, the store and the seeding protocol', () => {
    const allowed = /^src\/(config\.ts|fhir\/.*|store\/.*|seeding\/seeding-protocol\.ts)$/;
    const taken = new Set(
      [...graph].filter(([file]) => rel(file).startsWith('seed/')).flatMap(([, targets]) => [...targets].map(rel).filter((t) => t.startsWith('src/'))),
    );
    expect(taken.size).toBeGreaterThan(0);
    expect([...taken].filter((t) => !allowed.test(t))).toEqual([]);
  });

  it('takes only types into the browser page from outside web/', () => {
    const crossing = [...PROJECT].flatMap(([file, source]) =>
      rel(file).startsWith('web/')
        ? importsOf(source, file)
            .filter((e) => e.specifier.startsWith('.') && !rel(resolve(dirname(file), e.specifier)).startsWith('web/'))
            .map((e) => ({ from: rel(file), ...e }))
        : [],
    );
    expect(crossing.length).toBeGreaterThan(0);
    expect(crossing.filter((e) => e.kind !== 'type')).toEqual([]);
  });
});
