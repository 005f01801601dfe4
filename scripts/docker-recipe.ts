// Reads the Dockerfile into the steps the reproduction replays. It accepts only what it can
// replay faithfully and refuses the rest by name, so a Dockerfile change that the
// reproduction would silently skip fails CI instead.
import { posix } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

export type Step =
  | { kind: 'env'; line: number; vars: [string, string][] }
  | { kind: 'workdir'; line: number; path: string }
  | { kind: 'copy'; line: number; sources: string[]; dest: string; from?: string; chown?: string }
  | { kind: 'run'; line: number; commands: string[][] }
  | { kind: 'user'; line: number; user: string }
  | { kind: 'volume'; line: number; paths: string[] };

export interface Healthcheck {
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  startPeriodSeconds: number;
  retries: number;
}

export interface Stage {
  name: string;
  line: number;
  /** The base: an image reference (ARGs expanded) or the name of an earlier stage. */
  from: string;
  fromStage: boolean;
  steps: Step[];
  expose: number[];
  healthcheck?: Healthcheck;
  cmd?: string[];
  stopSignal?: string;
}

export interface Recipe {
  stages: Stage[];
}

export class RecipeError extends Error {
  override name = 'RecipeError';
  constructor(line: number, message: string) {
    super(`Dockerfile line ${line}: ${message}`);
  }
}

/**
 * What the reproduction does with a RUN command: `npm` runs in the stage's folder, `mkdir`
 * and `chown` act on it, and installing system packages is left to this machine (its
 * python3, make and g++ stand in for the image's).
 */
export type RunKind = 'npm' | 'mkdir' | 'chown' | 'system-packages';

export function runKind(command: string[]): RunKind | undefined {
  const [program, ...args] = command;
  if (program === 'npm') return 'npm';
  if (program === 'apt-get') return 'system-packages';
  if (program === 'rm' && args.join(' ') === '-rf /var/lib/apt/lists/*') return 'system-packages';
  if (program === 'mkdir' && args[0] === '-p' && args.length > 1 && args.slice(1).every((a) => a.startsWith('/'))) {
    return 'mkdir';
  }
  if (program === 'chown') {
    const [owner, ...paths] = args[0] === '-R' ? args.slice(1) : args;
    if (owner && !owner.startsWith('-') && paths.length > 0 && paths.every((a) => a.startsWith('/'))) return 'chown';
  }
  return undefined;
}

/** How `RUN` commands are split: `a && b` is two commands, each a list of words. */
const SHELL_SYNTAX = /[|;<>`$(){}'"\\]/;

const durationSeconds = (line: number, flag: string, value: string): number => {
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new RecipeError(line, `HEALTHCHECK --${flag}=${value}: use a duration like 5s or 1m`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * factor;
};

const expand = (text: string, args: Record<string, string>, line: number): string =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    const value = args[name];
    if (value === undefined) throw new RecipeError(line, `\${${name}} has no default ARG before the first FROM`);
    return value;
  });

function jsonArray(instruction: Instruction, text: string, what: string): string[] {
  const line = instruction.getRange().start.line + 1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
    throw new RecipeError(
      line,
      `${what} must be in exec form (a JSON array of strings) so that its program runs without a shell ` +
        'and receives the stop signal itself',
    );
  }
  return parsed as string[];
}

function runCommands(words: string[], line: number): string[][] {
  const bad = words.find((w) => SHELL_SYNTAX.test(w));
  if (bad !== undefined) {
    throw new RecipeError(line, `RUN uses shell syntax the reproduction does not replay (${bad}); keep to "cmd && cmd"`);
  }
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === '&&') commands.push([]);
    else commands[commands.length - 1]?.push(word);
  }
  if (commands.some((c) => c.length === 0)) throw new RecipeError(line, 'RUN has an empty command around "&&"');
  for (const command of commands) {
    if (runKind(command) === undefined) {
      throw new RecipeError(
        line,
        `RUN ${command.join(' ')}: the reproduction replays npm, mkdir and chown, and skips apt-get; ` +
          'teach scripts/docker-replay.ts this command or express it with those',
      );
    }
  }
  return commands;
}

function flagsOf(instruction: Instruction, allowed: string[]): Map<string, string> {
  const line = instruction.getRange().start.line + 1;
  const flags = new Map<string, string>();
  type Flagged = { getFlags(): { getName(): string; getValue(): string | null }[] };
  const list = 'getFlags' in instruction ? (instruction as unknown as Flagged).getFlags() : [];
  for (const flag of list) {
    const name = flag.getName();
    if (!allowed.includes(name)) {
      throw new RecipeError(line, `${instruction.getKeyword()} --${name} is not replayed by the reproduction`);
    }
    flags.set(name, flag.getValue() ?? '');
  }
  return flags;
}

/** Parses a Dockerfile; throws RecipeError naming the line of anything it cannot replay. */
export function parseRecipe(text: string): Recipe {
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];

  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line + 1;
    const keyword = instruction.getKeyword();
    const words = instruction.getArguments().map((a) => a.getValue());
    const content = instruction.getArgumentsContent() ?? '';
    const stage = stages[stages.length - 1];

    if (keyword === 'FROM') {
      flagsOf(instruction, []);
      if (words.length !== 1 && !(words.length === 3 && words[1]?.toUpperCase() === 'AS')) {
        throw new RecipeError(line, 'FROM must be "FROM <image> [AS <name>]"');
      }
      const from = expand(words[0] as string, globalArgs, line);
      const fromStage = stages.some((s) => s.name === from);
      stages.push({
        name: words[2] ?? String(stages.length),
        line,
        from,
        fromStage,
        steps: [],
        expose: [],
      });
      continue;
    }
    if (keyword === 'ARG' && !stage) {
      for (const word of words) {
        const [name, value] = word.split('=', 2);
        if (value === undefined) throw new RecipeError(line, `ARG ${name} needs a default value`);
        globalArgs[name as string] = value;
      }
      continue;
    }
    if (!stage) throw new RecipeError(line, `${keyword} before the first FROM`);

    switch (keyword) {
      case 'ENV': {
        const props = (instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] })
          .getProperties()
          .map((p): [string, string] => [p.getName(), p.getValue() ?? '']);
        const withVariable = props.find(([, v]) => v.includes('$'));
        if (withVariable) throw new RecipeError(line, `ENV ${withVariable[0]} uses a variable; write the value out`);
        stage.steps.push({ kind: 'env', line, vars: props });
        break;
      }
      case 'WORKDIR':
        if (words.length !== 1 || !words[0]?.startsWith('/')) throw new RecipeError(line, 'WORKDIR must be one absolute path');
        stage.steps.push({ kind: 'workdir', line, path: words[0] });
        break;
      case 'COPY': {
        const flags = flagsOf(instruction, ['from', 'chown']);
        if (content.trim().startsWith('[')) throw new RecipeError(line, 'COPY in JSON form is not replayed; list the paths');
        const paths = words.filter((w) => !w.startsWith('--'));
        if (paths.length < 2) throw new RecipeError(line, 'COPY needs at least one source and a destination');
        const sources = paths.slice(0, -1);
        const dest = paths[paths.length - 1] as string;
        const wild = sources.find((s) => /[*?[]/.test(s));
        if (wild) throw new RecipeError(line, `COPY source ${wild} is a pattern; name the files`);
        if (sources.length > 1 && !dest.endsWith('/')) {
          throw new RecipeError(line, 'COPY with several sources needs a destination ending in /');
        }
        const from = flags.get('from');
        if (from !== undefined && !stages.some((s) => s.name === from)) {
          throw new RecipeError(line, `COPY --from=${from} must name an earlier stage of this file`);
        }
        stage.steps.push({ kind: 'copy', line, sources, dest, from, chown: flags.get('chown') });
        break;
      }
      case 'RUN':
        flagsOf(instruction, []);
        if (content.trim().startsWith('[')) throw new RecipeError(line, 'RUN in exec form is not replayed; use "cmd && cmd"');
        stage.steps.push({ kind: 'run', line, commands: runCommands(words, line) });
        break;
      case 'USER':
        if (words.length !== 1) throw new RecipeError(line, 'USER takes one name');
        stage.steps.push({ kind: 'user', line, user: words[0] as string });
        break;
      case 'VOLUME': {
        const paths = content.trim().startsWith('[') ? jsonArray(instruction, content, 'VOLUME') : words;
        if (!paths.every((p) => p.startsWith('/'))) throw new RecipeError(line, 'VOLUME paths must be absolute');
        stage.steps.push({ kind: 'volume', line, paths: paths.map((p) => posix.normalize(p)) });
        break;
      }
      case 'EXPOSE':
        for (const word of words) {
          const port = Number(word.replace(/\/tcp$/, ''));
          if (!Number.isInteger(port)) throw new RecipeError(line, `EXPOSE ${word}: only TCP port numbers are replayed`);
          stage.expose.push(port);
        }
        break;
      case 'HEALTHCHECK': {
        const flags = flagsOf(instruction, ['interval', 'timeout', 'start-period', 'retries']);
        const sub = words[0]?.toUpperCase();
        if (sub !== 'CMD') throw new RecipeError(line, 'HEALTHCHECK must be "HEALTHCHECK [flags] CMD [...]"');
        const json = content.slice(content.toUpperCase().indexOf('CMD') + 3).trim();
        stage.healthcheck = {
          command: jsonArray(instruction, json, 'HEALTHCHECK CMD'),
          intervalSeconds: durationSeconds(line, 'interval', flags.get('interval') ?? '30s'),
          timeoutSeconds: durationSeconds(line, 'timeout', flags.get('timeout') ?? '30s'),
          startPeriodSeconds: durationSeconds(line, 'start-period', flags.get('start-period') ?? '0s'),
          retries: Number(flags.get('retries') ?? '3'),
        };
        break;
      }
      case 'CMD':
        stage.cmd = jsonArray(instruction, content, 'CMD');
        break;
      case 'STOPSIGNAL':
        if (!/^SIG[A-Z0-9]+$/.test(words[0] ?? '')) throw new RecipeError(line, 'STOPSIGNAL must be a name like SIGTERM');
        stage.stopSignal = words[0] as string;
        break;
      case 'LABEL':
        break;
      default:
        throw new RecipeError(line, `${keyword} is not replayed by the reproduction (scripts/docker-recipe.ts)`);
    }
  }
  if (stages.length === 0) throw new RecipeError(1, 'no FROM');
  return { stages };
}

/** The stage the image runs: the last one. */
export function finalStage(recipe: Recipe): Stage {
  return recipe.stages[recipe.stages.length - 1] as Stage;
}

/**
 * The recipe without one COPY source (as written in the Dockerfile), for showing that the
 * reproduction fails when the image lacks a file the app needs.
 */
export function withoutCopySource(recipe: Recipe, source: string): Recipe {
  let found = false;
  const stages = recipe.stages.map((stage) => ({
    ...stage,
    steps: stage.steps.flatMap((step): Step[] => {
      if (step.kind !== 'copy' || !step.sources.includes(source)) return [step];
      found = true;
      const sources = step.sources.filter((s) => s !== source);
      return sources.length === 0 ? [] : [{ ...step, sources }];
    }),
  }));
  if (!found) throw new Error(`no COPY in the Dockerfile has the source ${source}`);
  return { stages };
}
