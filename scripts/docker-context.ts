// The build context as Docker sends it: the project folder less what .dockerignore excludes.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';

/** Reads .dockerignore the way Docker does: one pattern a line, `#` comments, case-sensitive. */
export function readDockerignore(projectDir: string) {
  const file = join(projectDir, '.dockerignore');
  const patterns = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
    : [];
  // The package is CommonJS with `export default` types; `.default` is the same function.
  return { patterns, matcher: dockerignore.default({ ignorecase: false }).add(patterns) };
}

/** The context's files (paths relative to the project, `/`-separated), sorted. */
export function listContext(projectDir: string): string[] {
  const { patterns, matcher } = readDockerignore(projectDir);
  // With an exception (`!pattern`) an excluded folder may still hold included files.
  const mayReinclude = patterns.some((p) => p.startsWith('!'));
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(projectDir, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : posix.join(rel, entry.name);
      const ignored = matcher.ignores(path);
      if (entry.isDirectory()) {
        if (!ignored || mayReinclude) walk(path);
      } else if (!ignored) {
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}

/** Copies the context into `dest`; returns its files. */
export function copyContext(projectDir: string, dest: string): string[] {
  const files = listContext(projectDir);
  mkdirSync(dest, { recursive: true });
  for (const file of files) {
    cpSync(join(projectDir, file), join(dest, file), { verbatimSymlinks: true, preserveTimestamps: true });
  }
  return files;
}
