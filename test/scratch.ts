// Scratch folders for a test file: made inside the run's scratch folder (test/global-setup.ts)
// and removed after the file's tests, so a run leaves nothing behind in the temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';

/** A new folder, removed after this file's tests. Call it at a file's top level. */
export function scratchFolder(name: string): string {
  const dir = mkdtempSync(join(inject('scratchRoot'), `${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
