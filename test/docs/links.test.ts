// The documents stand on their own: every link between them reaches a file and a heading
// that exist, every section a code comment cites exists under that name, and nothing
// refers to a file outside the repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchors, headings, proseLines, readDoc, root } from './markdown.js';

const rootPath = fileURLToPath(root);

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'openapi/README.md',
  ...readdirSync(join(rootPath, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The project's own text files: code, scripts, configuration and documents. */
function projectFiles(): string[] {
  const skip = new Set(['node_modules', '.git', 'dist', 'data', 'coverage', '.tmp']);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(rootPath, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) walk(path);
      } else if (/\.(ts|mts|js|mjs|json|ya?ml|md|html|css|sh)$|^(Dockerfile|run|\.dockerignore)$/.test(entry.name)) {
        if (entry.name !== 'package-lock.json') out.push(path);
      }
    }
  };
  walk('');
  return out;
}

describe('links between the documents', () => {
  it('reach files and headings that exist', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const doc of DOCS) {
      for (const line of proseLines(readDoc(doc))) {
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = m[1]!;
          if (/^[a-z]+:/.test(target)) continue;
          const [file = '', anchor] = target.split('#');
          const path = file === '' ? doc : normalize(join(dirname(doc), file));
          checked++;
          if (relative(rootPath, join(rootPath, path)).startsWith('..') || !existsSync(join(rootPath, path))) {
            broken.push(`${doc}: ${target} (no file ${path})`);
          } else if (anchor !== undefined && (!path.endsWith('.md') || !anchors(readDoc(path)).has(anchor))) {
            broken.push(`${doc}: ${target} (no heading #${anchor} in ${path})`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('every page under docs/ is linked from the README', () => {
    const readme = readDoc('README.md');
    for (const doc of DOCS.filter((d) => d.startsWith('docs/'))) expect(readme, doc).toContain(`(${doc}`);
  });
});

describe('sections cited by code comments', () => {
  // As the code cites them: (docs/behaviour.md, "Manifest"), (CONTRIBUTING.md, "Errors"),
  // (docs/behaviour.md, "Errors" and "Endpoints", cancel).
  const CITED = {
    'docs/behaviour.md': ['Endpoints', 'Manifest', 'Errors', 'Tokens', 'Standard profile', 'Simulated faults', 'Admin API', 'Settings'],
    'CONTRIBUTING.md': ['Layout', 'Errors', 'Async work'],
  };

  it('are headings of those documents', () => {
    for (const [doc, sections] of Object.entries(CITED)) {
      expect(headings(readDoc(doc)), doc).toEqual(expect.arrayContaining(sections));
    }
  });

  it('name only headings that exist', () => {
    const missing: string[] = [];
    let citations = 0;
    for (const file of projectFiles()) {
      const text = readFileSync(join(rootPath, file), 'utf8');
      for (const doc of Object.keys(CITED)) {
        for (const m of text.matchAll(new RegExp(`\\(${doc.replace('.', '\\.')},([^)]*)\\)`, 'g'))) {
          const names = [...m[1]!.matchAll(/"([^"]+)"/g)].map((n) => n[1]!);
          citations++;
          for (const name of names) if (!headings(readDoc(doc)).includes(name)) missing.push(`${file}: ${doc}, "${name}"`);
        }
      }
    }
    expect(citations).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe('the repository', () => {
  it('refers to no file outside it', () => {
    const outside = ['CONTRACT' + '.md', 'STYLE' + '.md', '../' + 'shared'];
    const found = projectFiles().flatMap((file) => {
      const text = readFileSync(join(rootPath, file), 'utf8');
      return outside.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`);
    });
    expect(found).toEqual([]);
  });
});
