// The grader's command line: `npm run grade -- --client '<shell command>' [options]`.
// Parsed with commander; a usage error is a GradeUsageError (the CLI exits 2 on it).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from '../scenarios/catalog.js';

export interface GradeOptions {
  client: string;
  /** A running mock to grade against; undefined: the grader starts one in-process. */
  origin: string | undefined;
  adminToken: string | undefined;
  basePath: string;
  username: string;
  password: string;
  profile: 'verto' | 'standard';
  /** The runs in order: the run with no fault (null) first, then each scenario. */
  scenarios: (ScenarioName | null)[];
  timeoutS: number;
  types: string[];
  json: string | undefined;
  junit: string | undefined;
  /** Where each run's output folder is kept; undefined: a temporary folder, removed at the end. */
  outputDir: string | undefined;
}

export class GradeUsageError extends Error {
  override name = 'GradeUsageError';
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

function scenarioList(value: string): ScenarioName[] {
  const names = list(value);
  const unknown = names.filter((n) => !isScenarioName(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scenario ${unknown.join(', ')}; the scenarios are: ${SCENARIO_NAMES.join(', ')}`);
  if (names.length === 0) throw new InvalidArgumentError('name at least one scenario');
  return names as ScenarioName[];
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 3600) throw new InvalidArgumentError('a whole number of seconds from 1 to 3600');
  return n;
}

function origin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('an http(s) origin such as http://127.0.0.1:3000');
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '') {
    throw new InvalidArgumentError('an http(s) origin without a path, such as http://127.0.0.1:3000');
  }
  return url.origin;
}

export function gradeCommand(): Command {
  return new Command('grade')
    .description("Runs a bulk export client through every simulated fault of the mock and grades what it did")
    .requiredOption('--client <command>', 'the client, as a shell command (run with sh -c)')
    .addOption(new Option('--origin <url>', 'grade against a running mock (default: start one in-process)').argParser(origin))
    .addOption(new Option('--admin-token <token>', "the running mock's ADMIN_TOKEN").env('ADMIN_TOKEN'))
    .option('--base-path <path>', "the running mock's BASE_PATH", '/api/v1/connect')
    .option('--username <name>', "the running mock's AUTH_USERNAME", 'demo@example.com')
    .option('--password <password>', "the running mock's AUTH_PASSWORD", 'demo')
    .addOption(new Option('--profile <profile>', 'the API surface the client expects').choices(['verto', 'standard']).default('verto'))
    .addOption(new Option('--scenarios <names>', 'comma-separated scenarios to run (default: all)').argParser(scenarioList))
    .addOption(new Option('--timeout-s <seconds>', 'how long each run of the client may take (it is told half of it, VERTO_DEADLINE_SECONDS, as its own deadline)').argParser(seconds).default(60))
    .addOption(new Option('--types <types>', 'VERTO_TYPES: the resource types the client exports').argParser(list).default(['Patient', 'Condition'], 'Patient,Condition'))
    .option('--json <file>', 'write the grade as JSON')
    .option('--junit <file>', 'write the grade as JUnit XML')
    .option('--output-dir <dir>', "keep each run's client output in this folder (default: a temporary one, removed)");
}

/** Reads the grader's arguments (without node and the script); throws GradeUsageError on a usage error. */
export function parseGradeOptions(args: readonly string[], write: (text: string) => void = () => undefined): GradeOptions | 'help' {
  const command = gradeCommand()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  try {
    command.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) return 'help';
    if (err instanceof CommanderError) throw new GradeUsageError(err.message);
    throw err;
  }
  const o = command.opts<{
    client: string;
    origin?: string;
    adminToken?: string;
    basePath: string;
    username: string;
    password: string;
    profile: 'verto' | 'standard';
    scenarios?: ScenarioName[];
    timeoutS: number;
    types: string[];
    json?: string;
    junit?: string;
    outputDir?: string;
  }>();
  if (o.client.trim() === '') throw new GradeUsageError("error: option '--client <command>' needs a command");
  if (o.types.length === 0) throw new GradeUsageError("error: option '--types <types>' needs at least one type");
  return {
    client: o.client,
    origin: o.origin,
    adminToken: o.adminToken,
    basePath: o.basePath,
    username: o.username,
    password: o.password,
    profile: o.profile,
    scenarios: [null, ...(o.scenarios ?? SCENARIO_NAMES)],
    timeoutS: o.timeoutS,
    types: o.types,
    json: o.json,
    junit: o.junit,
    outputDir: o.outputDir,
  };
}
