// The reproduction's fast refusals, before any install: a Dockerfile it cannot replay and a
// broken-copy request that makes no sense. (The full run, and the two copies broken on
// purpose, run in .ci/run: each installs and compiles the dependencies.)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reproduce } from '../../scripts/docker-repro.js';
import { ReproError } from '../../scripts/docker-repro-error.js';

let project: string;
let lines: string[];
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'docker-repro-test-'));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', dependencies: { zod: '4.6.7' } }));
  lines = [];
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

const run = (options: { devDependency?: string; dropCopy?: string } = {}) =>
  reproduce({ projectDir: project, keep: 'never', log: (l) => lines.push(l), ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );

describe('reproduce', () => {
  it('stops at "recipe" on a Dockerfile step it cannot replay', async () => {
    writeFileSync(join(project, 'Dockerfile'), 'FROM node:24-trixie-slim\nENTRYPOINT ["node"]\n');
    const err = await run();
    expect(err).toBeInstanceOf(ReproError);
    expect(err).toMatchObject({
      step: 'recipe',
      message: 'Dockerfile line 2: ENTRYPOINT is not replayed by the reproduction (scripts/docker-recipe.ts)',
    });
  });

  it('stops at "context" when asked to move a package that is not a runtime dependency', async () => {
    writeFileSync(join(project, 'Dockerfile'), 'FROM node:24-trixie-slim\nWORKDIR /app\nCOPY package.json ./\n');
    const err = await run({ devDependency: 'left-pad' });
    expect(err).toMatchObject({ step: 'context', message: 'left-pad is not in dependencies' });
  });

  it('refuses to drop a COPY source the Dockerfile does not have', async () => {
    writeFileSync(join(project, 'Dockerfile'), 'FROM node:24-trixie-slim\nWORKDIR /app\nCOPY package.json ./\n');
    const err = await run({ dropCopy: 'README.md' });
    expect((err as Error).message).toBe('no COPY in the Dockerfile has the source README.md');
  });

  it('keeps its work folder after a failure by default, and removes it when told to', async () => {
    writeFileSync(join(project, 'Dockerfile'), 'FROM node:24-trixie-slim\nADD x /x\n');
    const workFolder = () => / work folder (\S+)$/.exec(lines[0] ?? '')?.[1] ?? '';

    await reproduce({ projectDir: project, log: (l) => lines.push(l) }).catch(() => undefined);
    const kept = workFolder();
    expect(lines.at(-1)).toContain(`== work folder kept: ${kept}`);
    expect(existsSync(join(kept, 'logs'))).toBe(true);
    rmSync(kept, { recursive: true });

    lines = [];
    await run();
    expect(workFolder()).not.toBe('');
    expect(existsSync(workFolder())).toBe(false);
  });
});
