// Runs the replayed image as `docker run` would: its CMD in its WORKDIR with its ENV, as its
// USER, then waits with its own HEALTHCHECK, loads the demo page and the API document, runs a
// client's export against it, stops it with its stop signal and checks that the database
// stayed in the volume.
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, posix, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, type Config } from '../src/config.js';
import { describeExit, exitOf, runLogged, startLogged, tail } from './docker-process.js';
import { hostEnv, imageIds, inRoot, type BuiltImage } from './docker-replay.js';
import { ReproError } from './docker-repro-error.js';

export interface RunOptions {
  projectDir: string;
  workDir: string;
  /** The version package.json declares: what /health must report. */
  version: string;
  log: (line: string) => void;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function checkRecipe(image: BuiltImage): { cmd: string[]; healthcheck: NonNullable<BuiltImage['healthcheck']> } {
  const { cmd, healthcheck } = image;
  if (!cmd) throw new ReproError('recipe', 'the image has no CMD');
  // Under `npm start` or a shell, `docker stop` would signal npm or sh, not the server.
  if (cmd[0] !== 'node') throw new ReproError('recipe', `CMD must run node directly, not ${cmd[0]}`);
  if (!healthcheck) throw new ReproError('recipe', 'the image has no HEALTHCHECK');
  if (healthcheck.command[0] !== 'node') {
    throw new ReproError('recipe', `HEALTHCHECK must use node (the slim image has no ${healthcheck.command[0]})`);
  }
  return { cmd, healthcheck };
}

/** Starts, checks and stops the image twice: a first start seeds the volume, a restart reuses it. */
export async function runImage(image: BuiltImage, options: RunOptions): Promise<void> {
  const { cmd, healthcheck } = checkRecipe(image);
  const port = await freePort();
  // The image's ENV, with only HOST and PORT changed: 0.0.0.0 and a fixed port are for a
  // container's own network, and this runs on the machine's loopback.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...hostEnv(image.env, image.root),
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    throw new ReproError('recipe', `the image's ENV is not a valid configuration: ${(err as Error).message}`);
  }
  const { uid, gid } = imageIds(image.user);
  const asUser = process.getuid?.() === 0 ? { uid, gid } : {};
  if (!('uid' in asUser)) options.log(`   note  not root here, so the server runs as this user, not as ${image.user}`);
  const cwd = inRoot(image.root, image.workdir);

  for (const run of ['first start', 'restart'] as const) {
    const logFile = join(options.workDir, 'logs', `server-${run.replace(' ', '-')}.log`);
    options.log(` ${run}: ${cmd.join(' ')} as ${image.user} on 127.0.0.1:${port}`);
    const server = startLogged(process.execPath, cmd.slice(1), logFile, { cwd, env, ...asUser });
    const exited = exitOf(server);
    try {
      await waitHealthy(healthcheck, { cwd, env, asUser, logFile, exited, workDir: options.workDir });
      options.log("   healthy (the image's HEALTHCHECK command passed)");
      await checkHealthBody(port, config, options.version);
      if (run === 'first start') {
        await checkDemoPage(port, options);
        await checkApiDocument(port, options);
        await runClientExport(port, config, options);
      }
      options.log(`   stop  ${image.stopSignal}`);
      server.kill(image.stopSignal as NodeJS.Signals);
      const exit = await Promise.race([exited, sleep(15_000, undefined, { ref: false })]);
      if (!exit) throw new ReproError('stop', `the server was still running 15 s after ${image.stopSignal}:\n${tail(logFile)}`);
      if (exit.code !== 0) {
        throw new ReproError('stop', `after ${image.stopSignal} the server ${describeExit(exit)}, not 0:\n${tail(logFile)}`);
      }
      options.log('   exited cleanly (code 0)');
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
    checkVolume(image, config);
  }
}

async function waitHealthy(
  healthcheck: NonNullable<BuiltImage['healthcheck']>,
  ctx: {
    cwd: string;
    env: Record<string, string>;
    asUser: { uid?: number; gid?: number };
    logFile: string;
    exited: Promise<unknown>;
    workDir: string;
  },
) {
  // The same patience Docker has before it calls the container unhealthy.
  const budgetMs = (healthcheck.startPeriodSeconds + healthcheck.retries * healthcheck.intervalSeconds) * 1000;
  const deadline = performance.now() + budgetMs;
  let serverExit: Awaited<ReturnType<typeof exitOf>> | undefined;
  void ctx.exited.then((e) => (serverExit = e as typeof serverExit));
  const checkLog = join(ctx.workDir, 'logs', 'healthcheck.log');
  for (;;) {
    if (serverExit) {
      throw new ReproError('start', `the server ${describeExit(serverExit)} before it was healthy:\n${tail(ctx.logFile)}`);
    }
    const check = await runLogged(process.execPath, healthcheck.command.slice(1), checkLog, {
      cwd: ctx.cwd,
      env: ctx.env,
      ...ctx.asUser,
      timeoutMs: healthcheck.timeoutSeconds * 1000,
    });
    if (check.code === 0) return;
    if (performance.now() > deadline) {
      throw new ReproError(
        'start',
        `the HEALTHCHECK still failed after ${budgetMs / 1000} s (start period plus retries):\n${tail(ctx.logFile)}`,
      );
    }
    await sleep(250);
  }
}

async function checkHealthBody(port: number, config: Config, version: string) {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  const body = (await res.json()) as { status?: string; version?: string; dataset?: unknown };
  const expected = { status: 'ok', version, dataset: config.dataset };
  const actual = { status: body.status, version: body.version, dataset: body.dataset };
  if (res.status !== 200 || JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new ReproError(
      'health',
      `GET /health answered ${res.status} ${JSON.stringify(actual)}; expected 200 ${JSON.stringify(expected)} ` +
        '(the version comes from package.json in the image)',
    );
  }
}

/** GET / serves the demo page, and every bundle file it names is there. */
async function checkDemoPage(port: number, options: RunOptions) {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  const html = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('text/html')) {
    throw new ReproError('page', `GET / answered ${res.status} ${type}: ${html.slice(0, 300)}`);
  }
  const assets = [...html.matchAll(/(?:src|href)="(\/demo\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  if (assets.length === 0) throw new ReproError('page', 'the demo page names no files under /demo/assets/');
  for (const asset of assets) {
    const file = await fetch(`http://127.0.0.1:${port}${asset}`);
    await file.arrayBuffer();
    if (file.status !== 200) throw new ReproError('page', `GET ${asset} (named by the demo page) answered ${file.status}`);
  }
  options.log(`   page  GET / and its ${assets.length} bundle files answer 200`);
}

/** The API document and Swagger UI are served (the document is a file the image must hold). */
async function checkApiDocument(port: number, options: RunOptions) {
  const doc = await fetch(`http://127.0.0.1:${port}/openapi.json`);
  const body = (await doc.json().catch(() => ({}))) as { openapi?: unknown };
  if (doc.status !== 200 || typeof body.openapi !== 'string' || !body.openapi.startsWith('3.')) {
    throw new ReproError('page', `GET /openapi.json answered ${doc.status} without an OpenAPI 3 document`);
  }
  const ui = await fetch(`http://127.0.0.1:${port}/docs`);
  const html = await ui.text();
  if (ui.status !== 200 || !html.includes('swagger-ui')) {
    throw new ReproError('page', `GET /docs answered ${ui.status} ${ui.headers.get('content-type')}, not Swagger UI`);
  }
  options.log(`   page  GET /openapi.json (OpenAPI ${body.openapi}) and /docs answer 200`);
}

async function runClientExport(port: number, config: Config, options: RunOptions) {
  const suite = join(options.projectDir, 'docker', 'client-example', 'export.test.mjs');
  const logFile = join(options.workDir, 'logs', 'client-export.log');
  options.log(`   export  node --test ${posix.join('docker', 'client-example', 'export.test.mjs')}`);
  const run = await runLogged(process.execPath, ['--test', suite], logFile, {
    cwd: options.projectDir,
    env: {
      PATH: process.env.PATH ?? '',
      VERTO_ORIGIN: `http://127.0.0.1:${port}`,
      VERTO_BASE_PATH: config.basePath,
      VERTO_USERNAME: config.auth.username,
      VERTO_PASSWORD: config.auth.password,
    },
    timeoutMs: 120_000,
  });
  if (run.code !== 0) {
    const how = run.timedOut ? 'timed out' : describeExit(run);
    throw new ReproError('export', `the client's export test ${how}:\n${tail(logFile, 40)}`);
  }
  options.log('   export checked (every file downloaded, counted and parsed)');
}

function checkVolume(image: BuiltImage, config: Config) {
  const database = config.databasePath; // already moved into the stage's folder
  const imagePath = `/${relative(image.root, database)}`;
  const volume = image.volumes.find((v) => imagePath.startsWith(`${v}/`));
  if (!volume) throw new ReproError('volume', `DATABASE_PATH ${imagePath} is not inside a VOLUME (${image.volumes.join(', ')})`);
  if (!existsSync(database) || statSync(database).size === 0) {
    throw new ReproError('volume', `no database at ${imagePath} after the server ran`);
  }
}
