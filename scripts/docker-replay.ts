// Replays the Dockerfile's stages in plain folders: each stage gets a folder standing for its
// root (/), COPY copies into it, RUN npm runs in its WORKDIR with its ENV, and the final
// stage's folder is what the image would hold.
import { cpSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { runKind, type Healthcheck, type Recipe, type Stage } from './docker-recipe.js';
import { ReproError } from './docker-repro-error.js';
import { describeExit, runLogged, tail } from './docker-process.js';

/** Users of the node base image (it creates `node` with uid and gid 1000). */
const IMAGE_USERS: Record<string, number> = { root: 0, node: 1000 };

/** Where the node base image installs Node; its headers there serve native builds. */
const IMAGE_NODE_PREFIX = '/usr/local';

export interface StageState {
  name: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  env: Record<string, string>;
  workdir: string;
  user: string;
  volumes: string[];
}

export interface BuiltImage extends StageState {
  expose: number[];
  healthcheck?: Healthcheck;
  cmd?: string[];
  stopSignal: string;
}

export interface ReplayOptions {
  contextDir: string;
  workDir: string;
  log: (line: string) => void;
}

/** This machine's Node install prefix (its headers are under include/node). */
export const hostNodePrefix = (): string => dirname(dirname(process.execPath));

/** uid and gid for a `user[:group]` of the image. */
export function imageIds(spec: string, line?: number): { uid: number; gid: number } {
  const [user, group = user] = spec.split(':');
  const uid = IMAGE_USERS[user as string] ?? (/^\d+$/.test(user as string) ? Number(user) : undefined);
  const gid = IMAGE_USERS[group as string] ?? (/^\d+$/.test(group as string) ? Number(group) : undefined);
  if (uid === undefined || gid === undefined) {
    throw new ReproError('build', `${line ? `line ${line}: ` : ''}the base image has no user or group "${spec}"`);
  }
  return { uid, gid };
}

/** A path inside the image, as a path in the stage's folder. */
export const inRoot = (root: string, imagePath: string): string => join(root, posix.normalize(imagePath));

/**
 * The stage's ENV as a process here sees it: values that are absolute paths point into the
 * image, so they are moved into the stage's folder, except the base image's Node install,
 * which is this machine's Node.
 */
export function hostEnv(env: Record<string, string>, root: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      if (!v.startsWith('/')) return [k, v];
      if (v === IMAGE_NODE_PREFIX || v.startsWith(`${IMAGE_NODE_PREFIX}/`)) {
        return [k, hostNodePrefix() + v.slice(IMAGE_NODE_PREFIX.length)];
      }
      return [k, inRoot(root, v)];
    }),
  );
}

const asRoot = (): boolean => process.getuid?.() === 0;

function chownTree(path: string, uid: number, gid: number, recursive: boolean) {
  lchownSync(path, uid, gid);
  if (!recursive || !lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid, true);
}

function copyStep(
  stage: StageState,
  step: Extract<Stage['steps'][number], { kind: 'copy' }>,
  built: Map<string, StageState>,
  contextDir: string,
) {
  const destImage = posix.resolve(stage.workdir, step.dest);
  const destIsDir = step.dest.endsWith('/') || step.dest === '.' || step.sources.length > 1;
  const destHost = inRoot(stage.root, destImage);
  for (const source of step.sources) {
    let sourceHost: string;
    if (step.from !== undefined) {
      sourceHost = inRoot((built.get(step.from) as StageState).root, posix.resolve('/', source));
    } else {
      const rel = posix.normalize(source).replace(/^\/+/, '');
      if (rel === '..' || rel.startsWith('../')) {
        throw new ReproError('build', `line ${step.line}: COPY ${source} is outside the context`);
      }
      sourceHost = join(contextDir, rel);
    }
    if (!existsSync(sourceHost)) {
      const where = step.from !== undefined ? `stage "${step.from}"` : 'the build context (is it in .dockerignore?)';
      throw new ReproError('build', `line ${step.line}: COPY ${source}: no such file in ${where}`);
    }
    let target = destHost;
    if (statSync(sourceHost).isDirectory()) {
      mkdirSync(target, { recursive: true });
    } else if (destIsDir || (existsSync(destHost) && statSync(destHost).isDirectory())) {
      target = join(destHost, posix.basename(source));
    }
    mkdirSync(dirname(target), { recursive: true });
    cpSync(sourceHost, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    if (step.chown !== undefined && asRoot()) {
      const { uid, gid } = imageIds(step.chown, step.line);
      chownTree(target, uid, gid, true);
    }
  }
}

async function runStep(
  stage: StageState,
  step: Extract<Stage['steps'][number], { kind: 'run' }>,
  options: ReplayOptions,
  index: number,
) {
  for (const command of step.commands) {
    const [program, ...args] = command as [string, ...string[]];
    const kind = runKind(command);
    if (kind === 'system-packages') {
      options.log(`   skip  ${command.join(' ')}  (system packages: not replayed; this machine's own are used)`);
      continue;
    }
    options.log(`   run   ${command.join(' ')}`);
    if (kind === 'mkdir') {
      for (const path of args.slice(1)) mkdirSync(inRoot(stage.root, path), { recursive: true });
    } else if (kind === 'chown') {
      const recursive = args[0] === '-R';
      const [owner, ...paths] = (recursive ? args.slice(1) : args) as [string, ...string[]];
      const { uid, gid } = imageIds(owner, step.line);
      for (const path of paths) {
        const host = inRoot(stage.root, path);
        if (!existsSync(host)) throw new ReproError('build', `line ${step.line}: chown ${path}: no such file`);
        if (asRoot()) chownTree(host, uid, gid, recursive);
      }
    } else {
      const logFile = join(options.workDir, 'logs', `${stage.name}-${index}-${program}-${args[0] ?? ''}.log`);
      const cwd = inRoot(stage.root, stage.workdir);
      mkdirSync(cwd, { recursive: true });
      const exit = await runLogged(program, args, logFile, {
        cwd,
        // Only the stage's ENV and what npm needs to find itself and its cache: a developer's
        // NODE_ENV or npm settings in the environment must not change the install.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          npm_config_prefer_offline: 'true',
          npm_config_update_notifier: 'false',
          ...hostEnv(stage.env, stage.root),
        },
        timeoutMs: 15 * 60_000,
      });
      if (exit.code !== 0) {
        throw new ReproError(
          'build',
          `line ${step.line}: RUN ${command.join(' ')} ${exit.timedOut ? 'timed out' : describeExit(exit)}; ` +
            `end of ${logFile}:\n${tail(logFile)}`,
        );
      }
    }
  }
}

/** Replays every stage; returns the final one, which is what `docker run` starts. */
export async function replayStages(recipe: Recipe, options: ReplayOptions): Promise<BuiltImage> {
  const built = new Map<string, StageState>();
  mkdirSync(join(options.workDir, 'logs'), { recursive: true });
  let last: StageState | undefined;
  let stepIndex = 0;
  for (const stage of recipe.stages) {
    const root = join(options.workDir, 'stages', stage.name);
    const parent = stage.fromStage ? (built.get(stage.from) as StageState) : undefined;
    options.log(` stage ${stage.name} (FROM ${stage.from})`);
    if (parent) cpSync(parent.root, root, { recursive: true, verbatimSymlinks: true });
    mkdirSync(root, { recursive: true });
    const state: StageState = {
      name: stage.name,
      root,
      env: { ...parent?.env },
      workdir: parent?.workdir ?? '/',
      user: parent?.user ?? 'root',
      volumes: [...(parent?.volumes ?? [])],
    };
    for (const step of stage.steps) {
      stepIndex += 1;
      switch (step.kind) {
        case 'env':
          for (const [k, v] of step.vars) state.env[k] = v;
          break;
        case 'workdir':
          state.workdir = step.path;
          mkdirSync(inRoot(root, step.path), { recursive: true });
          break;
        case 'copy':
          options.log(`   copy  ${step.from ? `--from=${step.from} ` : ''}${step.sources.join(' ')} -> ${step.dest}`);
          copyStep(state, step, built, options.contextDir);
          break;
        case 'run':
          await runStep(state, step, options, stepIndex);
          break;
        case 'user':
          imageIds(step.user, step.line);
          state.user = step.user;
          break;
        case 'volume':
          for (const path of step.paths) {
            mkdirSync(inRoot(root, path), { recursive: true });
            state.volumes.push(path);
          }
          break;
      }
    }
    built.set(stage.name, state);
    last = state;
  }
  // A stage built FROM another stage inherits its CMD, HEALTHCHECK, EXPOSE and STOPSIGNAL.
  const chain: Stage[] = [];
  for (let s: Stage | undefined = recipe.stages[recipe.stages.length - 1]; s; ) {
    chain.push(s);
    const from = s.from;
    s = s.fromStage ? recipe.stages.find((x) => x.name === from) : undefined;
  }
  const nearest = <T>(pick: (s: Stage) => T | undefined): T | undefined => chain.map(pick).find((v) => v !== undefined);
  return {
    ...(last as StageState),
    expose: [...new Set(chain.flatMap((s) => s.expose))],
    healthcheck: nearest((s) => s.healthcheck),
    cmd: nearest((s) => s.cmd),
    stopSignal: nearest((s) => s.stopSignal) ?? 'SIGTERM',
  };
}
