// The Dockerfile as the reproduction reads it: the image's promises (Node 24 on one base for
// both stages, production dependencies only, non-root, HOST=0.0.0.0, data in a volume, a
// node health check, node as the main process) and the parser's refusals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../scripts/bench-server.js';
import { finalStage, parseRecipe, runKind, withoutCopySource, type Recipe, type Step } from '../../scripts/docker-recipe.js';

const recipe = parseRecipe(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};
const stage = (name: string) => {
  const found = recipe.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const steps = <K extends Step['kind']>(name: string, kind: K) =>
  stage(name).steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
const envOf = (name: string) => Object.fromEntries(steps(name, 'env').flatMap((s) => s.vars));

describe('the Dockerfile', () => {
  it('builds and runs on the same Node 26 slim image', () => {
    expect(recipe.stages.map((s) => [s.name, s.from, s.fromStage])).toEqual([
      ['base', 'node:26.12.1-trixie-slim', false],
      ['build', 'base', true],
      ['runtime', 'base', true],
    ]);
    expect(finalStage(recipe).name).toBe('runtime');
  });

  it('installs the native toolchain, builds, then drops dev dependencies', () => {
    const commands = steps('build', 'run').flatMap((s) => s.commands.map((c) => c.join(' ')));
    expect(commands).toEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends python3 make g++',
      'rm -rf /var/lib/apt/lists/*',
      'npm ci --no-audit --no-fund',
      'npm run build',
      'npm prune --omit=dev --no-audit --no-fund',
    ]);
    expect(envOf('build')).toEqual({ npm_config_build_from_source: 'better-sqlite3', npm_config_nodedir: '/usr/local' });
  });

  it('ships only package.json, production node_modules and dist from the build stage, and the API document', () => {
    expect(steps('runtime', 'copy').map((s) => [s.from, s.sources, s.dest])).toEqual([
      ['build', ['/app/package.json'], './'],
      ['build', ['/app/node_modules'], './node_modules'],
      ['build', ['/app/dist'], './dist'],
      [undefined, ['openapi/openapi.yaml'], './openapi/'],
    ]);
  });

  it('listens on all interfaces, as a non-root user, with the database in a volume', () => {
    expect(envOf('runtime')).toEqual({ HOST: '0.0.0.0', PORT: '3000', DATABASE_PATH: '/data/verto-mock.db', MALLOC_ARENA_MAX: '2' });
    expect(steps('runtime', 'user').map((s) => s.user)).toEqual(['node']);
    expect(steps('runtime', 'volume').flatMap((s) => s.paths)).toEqual(['/data']);
    expect(stage('runtime').expose).toEqual([3000]);
  });

  it("runs the start script's command, with its environment, node as the main process, stopped by SIGTERM", () => {
    const start = startCommand(JSON.stringify(pkg));
    expect(stage('runtime').cmd).toEqual(['node', ...start.nodeArgs, start.entry]);
    expect(Object.keys(start.env)).toContain('MALLOC_ARENA_MAX');
    expect(envOf('runtime')).toMatchObject(start.env);
    expect(stage('runtime').stopSignal).toBe('SIGTERM');
  });

  it('checks /health with node, giving a first start time to seed', () => {
    const hc = stage('runtime').healthcheck;
    expect(hc?.command.slice(0, 2)).toEqual(['node', '-e']);
    expect(hc?.command[2]).toContain("'/health'");
    expect(hc).toMatchObject({ intervalSeconds: 5, timeoutSeconds: 3, startPeriodSeconds: 60, retries: 3 });
  });
});

describe('parseRecipe', () => {
  const parse = (body: string) => () => parseRecipe(`FROM node:24-trixie-slim AS base\n${body}\n`);

  it.each([
    ['CMD node dist/src/server.js', 'Dockerfile line 2: CMD must be in exec form (a JSON array of strings) so that its program runs without a shell and receives the stop signal itself'],
    ['ADD https://example.org/x.tgz /x', 'Dockerfile line 2: ADD is not replayed by the reproduction (scripts/docker-recipe.ts)'],
    ['ENTRYPOINT ["node"]', 'Dockerfile line 2: ENTRYPOINT is not replayed by the reproduction (scripts/docker-recipe.ts)'],
    ['RUN curl -fsSL https://example.org | sh', 'Dockerfile line 2: RUN uses shell syntax the reproduction does not replay (|); keep to "cmd && cmd"'],
    ['RUN npm ci && node-gyp rebuild', 'Dockerfile line 2: RUN node-gyp rebuild: the reproduction replays npm, mkdir and chown, and skips apt-get; teach scripts/docker-replay.ts this command or express it with those'],
    ['RUN rm -rf /app/test', 'Dockerfile line 2: RUN rm -rf /app/test: the reproduction replays npm, mkdir and chown, and skips apt-get; teach scripts/docker-replay.ts this command or express it with those'],
    ['COPY src/*.ts /app/', 'Dockerfile line 2: COPY source src/*.ts is a pattern; name the files'],
    ['COPY --chmod=644 a /a', 'Dockerfile line 2: COPY --chmod is not replayed by the reproduction'],
    ['COPY --from=nowhere /a /a', 'Dockerfile line 2: COPY --from=nowhere must name an earlier stage of this file'],
    ['COPY a b /app', 'Dockerfile line 2: COPY with several sources needs a destination ending in /'],
    ['ENV PATH=/app/bin:$PATH', 'Dockerfile line 2: ENV PATH uses a variable; write the value out'],
    ['WORKDIR app', 'Dockerfile line 2: WORKDIR must be one absolute path'],
    ['HEALTHCHECK --interval=5 CMD ["node"]', 'Dockerfile line 2: HEALTHCHECK --interval=5: use a duration like 5s or 1m'],
  ])('refuses %s', (line, message) => {
    expect(parse(line)).toThrow(message);
  });

  it('expands global ARGs in FROM and refuses unknown ones', () => {
    const parsed = parseRecipe('ARG V=24\nFROM node:${V}-trixie-slim AS base\n');
    expect(parsed.stages[0]?.from).toBe('node:24-trixie-slim');
    expect(() => parseRecipe('FROM node:${W}\n')).toThrow('Dockerfile line 1: ${W} has no default ARG before the first FROM');
  });
});

describe('runKind', () => {
  it.each([
    [['npm', 'ci'], 'npm'],
    [['apt-get', 'install', '-y', 'g++'], 'system-packages'],
    [['rm', '-rf', '/var/lib/apt/lists/*'], 'system-packages'],
    [['mkdir', '-p', '/data'], 'mkdir'],
    [['mkdir', '/data'], undefined],
    [['chown', 'node:node', '/data'], 'chown'],
    [['chown', '-R', 'node:node', '/data', '/logs'], 'chown'],
    [['chown', 'node:node', 'data'], undefined],
    [['npx', 'tsc'], undefined],
  ])('%j is %s', (command, kind) => {
    expect(runKind(command)).toBe(kind);
  });
});

describe('withoutCopySource', () => {
  const copies = (r: Recipe) =>
    r.stages.flatMap((s) => s.steps.filter((x) => x.kind === 'copy').map((x) => (x.kind === 'copy' ? x.sources : [])));

  it('drops one source of a COPY with several', () => {
    expect(copies(withoutCopySource(recipe, 'package-lock.json'))[0]).toEqual(['package.json']);
  });

  it('drops a COPY left without sources', () => {
    const broken = withoutCopySource(recipe, '/app/package.json');
    expect(copies(broken)).toEqual(copies(recipe).filter((c) => c[0] !== '/app/package.json'));
  });

  it('refuses a source no COPY has', () => {
    expect(() => withoutCopySource(recipe, 'README.md')).toThrow('no COPY in the Dockerfile has the source README.md');
  });
});
