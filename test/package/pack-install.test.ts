// The npm package as a team gets it (docs/npm-package.md): the project built and packed, the
// tarball installed into an empty project with the network unreachable (npm's cache, which
// `npm ci` filled, is the only source), then the command (`--version`, `serve`, `seed`) and the
// library from a plain .mjs file. Everything happens in this file's scratch folder.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchFolder } from '../scratch.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const scratch = scratchFolder('pack');
const source = join(scratch, 'source');
const project = join(scratch, 'project');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let env: NodeJS.ProcessEnv;

/** The project's files a build reads, copied; its node_modules linked (the build writes only dist/). */
function copySource(): void {
  mkdirSync(source);
  for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'README.md', 'LICENSE']) {
    copyFileSync(join(ROOT, name), join(source, name));
  }
  for (const dir of ['src', 'seed', 'web', 'openapi']) cpSync(join(ROOT, dir), join(source, dir), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
}

/**
 * An empty project with a lock file taken from this one's production entries: `npm ci` cached
 * the packages' tarballs (by integrity), not the registry's documents that resolving a version
 * range needs, so without the network the install follows these exact versions.
 */
function emptyProject(tarball: string): void {
  mkdirSync(project);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const root = lock.packages['']!;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = { '': { name: 'team-tests', dependencies: { [pkg.name]: spec } } };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    const { devOptional: _devOptional, ...rest } = entry;
    packages[path] = rest;
  }
  packages[`node_modules/${pkg.name}`] = {
    version: pkg.version,
    resolved: spec,
    dependencies: root.dependencies,
    optionalDependencies: root.optionalDependencies,
    bin: pkg.bin,
  };
  const manifest = { name: 'team-tests', private: true, type: 'module', dependencies: { [pkg.name]: spec }, allowScripts: { 'better-sqlite3': true } };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify({ name: 'team-tests', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  copyFileSync(join(ROOT, 'test/package/library-client.mjs'), join(project, 'library-client.mjs'));
}

beforeAll(async () => {
  const unreachable = `http://127.0.0.1:${await closedPort()}`;
  mkdirSync(join(scratch, 'tmp'));
  // The npm_* variables of the `npm test` that runs this file would configure the npm below
  // (its project folder among them); only the cache it uses, which `npm ci` filled, is kept.
  env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
    ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
    npm_config_offline: 'true',
    npm_config_proxy: unreachable,
    npm_config_https_proxy: unreachable,
    npm_config_noproxy: '',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    TMPDIR: join(scratch, 'tmp'),
  };
  copySource();
  await run('npm', ['run', 'build', '--silent'], { cwd: source, env });
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', scratch], { cwd: source, env });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBe(`${pkg.name}-${pkg.version}.tgz`);
  emptyProject(join(scratch, tarball!));
  await run('npm', ['install', join(scratch, tarball!)], { cwd: project, env });
}, 300_000);

describe('the packed package, installed without the network', () => {
  it('answers npx verto-fhir-mock --version, and --help for each command', async () => {
    const { stdout } = await run('npx', ['verto-fhir-mock', '--version'], { cwd: project, env });
    expect(stdout.trim()).toBe(pkg.version);
    // (The grader writes its help to stderr.)
    const help = async (...args: string[]) => {
      const { stdout, stderr } = await run('npx', ['verto-fhir-mock', ...args, '--help'], { cwd: project, env });
      return stdout + stderr;
    };
    expect(await help()).toMatch(/serve .*\n.*seed .*\n.*import .*\n.*grade /s);
    expect(await help('serve')).toContain('--patients <n>');
    expect(await help('seed')).toContain('--import <dir>');
    // The grader and its requirement catalogue load from the package.
    expect(await help('grade')).toContain('--client <command>');
  });

  it('serves with `verto-fhir-mock serve`: health and the demo page answered on a free port, SIGTERM → exit 0', async () => {
    // The command npx runs, started directly: npm exec does not pass a SIGTERM on to it.
    const bin = join(project, 'node_modules/.bin/verto-fhir-mock');
    const child = spawn(bin, ['serve', '--port', '0', '--db', ':memory:', '--patients', '3'], {
      cwd: project,
      env: { ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      let origin: string | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
        origin = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(msg)?.[1];
        if (origin !== undefined) break;
      }
      expect(origin, stderr).toBeDefined();
      let health = 503;
      for (let i = 0; i < 200 && health !== 200; i++) {
        const res = await fetch(`${origin}/health`);
        await res.text();
        health = res.status;
        if (health !== 200) await new Promise((done) => setTimeout(done, 25));
      }
      expect(health).toBe(200);
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('seeds a database file with `seed`', async () => {
    const { stdout } = await run('npx', ['verto-fhir-mock', 'seed', '--patients', '2', '--seed', '4', '--db', join(scratch, 'seeded.db'), '--quiet'], {
      cwd: project,
      env,
    });
    expect(stdout).toContain(`Wrote ${join(scratch, 'seeded.db')} (patients=2, seed=4`);
  });

  it('runs startMock() from a plain .mjs: an export, its journal and its report', async () => {
    const { stdout } = await run('node', ['library-client.mjs'], { cwd: project, env });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ kickOff: 202, patients: 3, firstRequest: 'GET 202', summary: { fail: 0 } });
    expect(result.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.downloads).toBe(result.files);
  });
});
