// The reproduction's build context and stage replay on a small made-up project: COPY and
// .dockerignore semantics, ENV paths moved into the stage folder, users, and its refusals.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyContext, listContext } from '../../scripts/docker-context.js';
import { parseRecipe } from '../../scripts/docker-recipe.js';
import { hostEnv, hostNodePrefix, replayStages } from '../../scripts/docker-replay.js';
import { ReproError } from '../../scripts/docker-repro-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docker-replay-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'project', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'project', path), text);
  }
}

function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && readdirSync(p).length > 0) walk(p);
      else out.push(relative(root, p) + (e.isDirectory() ? '/' : ''));
    }
  };
  walk(root);
  return out.sort();
}

const DOCKERFILE = `FROM node:24-trixie-slim AS base
FROM base AS build
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY a.txt b.txt ./
COPY lib ./lib
COPY one.txt /etc/renamed.txt
FROM base AS runtime
ENV DATABASE_PATH=/data/x.db HOST=0.0.0.0
RUN mkdir -p /data && chown node:node /data
WORKDIR /app
COPY --from=build /app/lib ./lib
COPY --from=build /app/a.txt ./
USER node
VOLUME /data
CMD ["node", "x.js"]
`;

async function replay(dockerfile: string) {
  const contextDir = join(dir, 'context');
  copyContext(join(dir, 'project'), contextDir);
  return replayStages(parseRecipe(dockerfile), { contextDir, workDir: join(dir, 'work'), log: () => undefined });
}

describe('the build context', () => {
  it('leaves out what .dockerignore excludes, with Docker pattern rules', () => {
    write({
      '.dockerignore': '# comment\nnode_modules\n**/*.db\ndocs\n!docs/keep.md\n',
      'a.txt': 'a',
      'node_modules/x/index.js': '',
      'sub/node_modules/y.js': '',
      'sub/data.db': '',
      'top.db': '',
      'docs/drop.md': '',
      'docs/keep.md': '',
    });
    expect(listContext(join(dir, 'project'))).toEqual([
      '.dockerignore',
      'a.txt',
      'docs/keep.md',
      'sub/node_modules/y.js',
    ]);
  });

  it("of this project holds the sources and manifests, not dependencies, output or data", () => {
    const top = [...new Set(listContext(join(import.meta.dirname, '..', '..')).map((f) => f.split('/')[0]))];
    expect(top).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'src', 'seed', 'web']),
    );
    for (const excluded of ['node_modules', 'dist', 'data', '.git', 'test', 'scripts', 'docker', 'Dockerfile', 'README.md']) {
      expect(top).not.toContain(excluded);
    }
  });
});

describe('replayStages', () => {
  it('copies as Docker does: directory contents, files into a directory, a file to a new name', async () => {
    write({ 'a.txt': 'a', 'b.txt': 'b', 'one.txt': '1', 'lib/inner/c.txt': 'c', 'unused.txt': '' });
    const image = await replay(DOCKERFILE);
    expect(tree(join(dir, 'work', 'stages', 'build'))).toEqual(['app/a.txt', 'app/b.txt', 'app/lib/inner/c.txt', 'etc/renamed.txt']);
    expect(tree(image.root)).toEqual(['app/a.txt', 'app/lib/inner/c.txt', 'data/']);
    expect(image).toMatchObject({ name: 'runtime', workdir: '/app', user: 'node', volumes: ['/data'], cmd: ['node', 'x.js'] });
  });

  it('gives the volume to the image user, as the RUN chown says', async () => {
    write({ 'a.txt': 'a', 'b.txt': 'b', 'one.txt': '1', 'lib/inner/c.txt': 'c' });
    const image = await replay(DOCKERFILE);
    const asRoot = process.getuid?.() === 0;
    expect(statSync(join(image.root, 'data')).uid).toBe(asRoot ? 1000 : process.getuid?.());
    expect(statSync(join(image.root, 'app', 'a.txt')).uid).toBe(process.getuid?.());
  });

  it("moves ENV paths into the stage folder, and the image's Node install to this machine's", async () => {
    write({ 'a.txt': 'a', 'b.txt': 'b', 'one.txt': '1', 'lib/inner/c.txt': 'c' });
    const image = await replay(DOCKERFILE);
    expect(hostEnv(image.env, image.root)).toEqual({ DATABASE_PATH: join(image.root, 'data', 'x.db'), HOST: '0.0.0.0' });
    expect(hostEnv({ npm_config_nodedir: '/usr/local' }, '/r')).toEqual({ npm_config_nodedir: hostNodePrefix() });
    expect(hostEnv({ X: '/usr/localx' }, '/r')).toEqual({ X: '/r/usr/localx' });
  });

  it('fails on a COPY source that .dockerignore keeps out of the context', async () => {
    write({ '.dockerignore': 'b.txt\n', 'a.txt': 'a', 'b.txt': 'b', 'one.txt': '1', 'lib/inner/c.txt': 'c' });
    const err = await replay(DOCKERFILE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReproError);
    expect(err).toMatchObject({
      step: 'build',
      message: 'line 5: COPY b.txt: no such file in the build context (is it in .dockerignore?)',
    });
  });

  it('fails on a user the base image does not have', async () => {
    write({ 'a.txt': 'a' });
    const err = await replay('FROM node:24-trixie-slim AS base\nUSER app\n').catch((e: unknown) => e);
    expect(err).toMatchObject({ step: 'build', message: 'line 2: the base image has no user or group "app"' });
  });

  it('reports a failing RUN npm with the end of its output', async () => {
    write({ 'package.json': '{"name":"x","version":"1.0.0","scripts":{"build":"node -e \\"console.log(12345);process.exit(3)\\""}}' });
    const err = await replay('FROM node:24-trixie-slim AS base\nWORKDIR /app\nCOPY package.json ./\nRUN npm run build\n').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ step: 'build' });
    expect((err as Error).message).toMatch(/^line 4: RUN npm run build exited with code 3; end of .*\n[\s\S]*12345/);
  });
});
