// Reproduces the Docker image without Docker (no engine runs where CI does): copies the build
// context as .dockerignore leaves it, replays the Dockerfile's stages in plain folders, starts
// the final stage's CMD with its ENV, and checks /health, an export, a clean stop and the
// volume. See docs/docker.md, "How the image is checked without Docker", for what this
// proves and what it cannot.
//
//   npm run docker:repro                       # the real recipe; must pass
//   npm run docker:repro -- --dev-dependency close-with-grace --expect-failure start ...
//   npm run docker:repro -- --drop-copy /app/package.json --expect-failure health ...
// (the broken-copy checks, as .ci/run runs them)
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { copyContext } from './docker-context.js';
import { finalStage, parseRecipe, RecipeError, withoutCopySource, type Recipe } from './docker-recipe.js';
import { replayStages } from './docker-replay.js';
import { REPRO_STEPS, ReproError, type ReproStep } from './docker-repro-error.js';
import { runLogged, tail } from './docker-process.js';
import { runImage } from './docker-run-image.js';

export interface ReproOptions {
  projectDir: string;
  /** Break the copy first: move this runtime dependency to devDependencies. */
  devDependency?: string;
  /** Break the copy first: leave out this COPY source (as written in the Dockerfile). */
  dropCopy?: string;
  /** When to keep the work folder (stage folders and logs); by default only after a failure. */
  keep?: 'always' | 'on-failure' | 'never';
  log?: (line: string) => void;
}

interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

async function moveToDevDependencies(contextDir: string, name: string, workDir: string) {
  const file = join(contextDir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  const spec = pkg.dependencies?.[name];
  if (spec === undefined) throw new ReproError('context', `${name} is not in dependencies`);
  delete pkg.dependencies?.[name];
  pkg.devDependencies = { ...pkg.devDependencies, [name]: spec };
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  // The lock file records which packages are dev-only; npm rewrites it as a developer's
  // `npm i -D` would, so that `npm ci` accepts the copy.
  const logFile = join(workDir, 'logs', 'break-lock.log');
  const exit = await runLogged(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    logFile,
    { cwd: contextDir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeoutMs: 300_000 },
  );
  if (exit.code !== 0) throw new ReproError('context', `could not rewrite the lock file:\n${tail(logFile)}`);
}

/** As root the server runs as the image's user, who must be able to enter these paths. */
function assertOthersCanReach(paths: string[]) {
  for (const path of paths) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) {
        throw new ReproError(
          'context',
          `${dir} is closed to other users, so the image's user cannot reach ${path}; ` +
            'use a TMPDIR and a Node install that others can enter',
        );
      }
      if (dir === dirname(dir)) break;
    }
  }
}

/** Runs the whole reproduction; throws ReproError naming the step that failed. */
export async function reproduce(options: ReproOptions): Promise<void> {
  const started = performance.now();
  const print = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => print(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
  const projectDir = resolve(options.projectDir);
  const workDir = mkdtempSync(join(tmpdir(), 'verto-docker-repro-'));
  // The image's USER (not root) must be able to reach the stage folders below.
  chmodSync(workDir, 0o755);
  mkdirSync(join(workDir, 'logs'));
  log(`== work folder ${workDir}`);
  let passed = false;
  try {
    if (process.getuid?.() === 0) assertOthersCanReach([workDir, process.execPath]);
    let recipe: Recipe;
    try {
      recipe = parseRecipe(readFileSync(join(projectDir, 'Dockerfile'), 'utf8'));
    } catch (err) {
      if (err instanceof RecipeError) throw new ReproError('recipe', err.message);
      throw err;
    }
    if (options.dropCopy !== undefined) {
      log(`== broken on purpose: the Dockerfile without COPY source ${options.dropCopy}`);
      recipe = withoutCopySource(recipe, options.dropCopy);
    }
    const base = recipe.stages.find((s) => !s.fromStage);
    log(`== image base ${base?.from ?? '?'}; replayed here on Node ${process.versions.node}`);

    const contextDir = join(workDir, 'context');
    const files = copyContext(projectDir, contextDir);
    log(`== context: ${files.length} files after .dockerignore`);
    if (options.devDependency !== undefined) {
      log(`== broken on purpose: ${options.devDependency} moved to devDependencies`);
      await moveToDevDependencies(contextDir, options.devDependency, workDir);
    }
    const { version } = JSON.parse(readFileSync(join(contextDir, 'package.json'), 'utf8')) as PackageJson;

    log('== build: replaying the Dockerfile');
    const image = await replayStages(recipe, { contextDir, workDir, log });
    log(`== run: the ${finalStage(recipe).name} stage`);
    await runImage(image, { projectDir, workDir, version, log });
    passed = true;
  } finally {
    const keep = options.keep ?? 'on-failure';
    if (keep === 'always' || (keep === 'on-failure' && !passed)) log(`== work folder kept: ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

async function main() {
  const program = new Command()
    .name('docker-repro')
    .description("Reproduce the Docker image's build and run without Docker, and check it.")
    .option('--dev-dependency <name>', 'first move this runtime dependency to devDependencies (must then fail)')
    .option('--drop-copy <source>', 'first leave out this COPY source of the Dockerfile (must then fail)')
    .addOption(
      new Option('--expect-failure <step>', 'pass only if the reproduction fails at this step').argParser((value) => {
        if (!(REPRO_STEPS as readonly string[]).includes(value)) {
          throw new InvalidArgumentError(`one of ${REPRO_STEPS.join(', ')}`);
        }
        return value as ReproStep;
      }),
    )
    .option('--expect-message <text>', 'with --expect-failure: the failure must also say this')
    .option('--keep', 'keep the work folder')
    .parse();
  const opts = program.opts<{
    devDependency?: string;
    dropCopy?: string;
    expectFailure?: ReproStep;
    expectMessage?: string;
    keep?: boolean;
  }>();
  const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    await reproduce({
      projectDir,
      devDependency: opts.devDependency,
      dropCopy: opts.dropCopy,
      keep: opts.keep ? 'always' : opts.expectFailure ? 'never' : 'on-failure',
    });
  } catch (err) {
    if (!(err instanceof ReproError)) throw err;
    console.log(`== FAILED at ${err.step}: ${err.message}`);
    if (opts.expectFailure === err.step && err.message.includes(opts.expectMessage ?? '')) {
      console.log(`== as expected: the reproduction fails at "${err.step}" on this broken copy`);
      return;
    }
    if (opts.expectFailure) console.log(`== expected a failure at "${opts.expectFailure}" saying ${opts.expectMessage ?? '(anything)'}`);
    process.exitCode = 1;
    return;
  }
  if (opts.expectFailure) {
    console.log(`== expected a failure at "${opts.expectFailure}", but the reproduction passed`);
    process.exitCode = 1;
    return;
  }
  console.log('== the image recipe reproduces: build, health, export, clean stop, volume');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
