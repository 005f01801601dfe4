// One scratch folder for the whole test run, removed when the run ends. Test files make
// their own folders inside it (test/scratch.ts) and remove them after the file; this removes
// whatever a file left behind, such as the folders of a worker that was stopped. Child
// processes run from the sources (a first start's seeding process under vitest) load tsx,
// which keeps a transform cache in the temp folder: removed too when this run made it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'verto-mock-tests-'));
  project.provide('scratchRoot', root);
  const tsxCache = join(tmpdir(), `tsx-${userInfo().uid}`);
  const tsxCacheWasThere = existsSync(tsxCache);
  return () => {
    rmSync(root, { recursive: true, force: true });
    if (!tsxCacheWasThere) rmSync(tsxCache, { recursive: true, force: true });
  };
}
