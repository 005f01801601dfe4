#!/usr/bin/env node
// `verto-fhir-mock <command>`: the package's command line (docs/npm-package.md, "The command").
// serve boots src/server.ts with the flags as settings; seed and import run the generator's own
// command (seed/cli.ts) in a child process, as the server runs its seeding; grade is the
// grader's command (docs/grading.md).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { ConfigError } from '../config.js';
import { version } from '../version.js';
import { serveEnvironment, serveOptions } from './serve-flags.js';

/** seed/cli.ts beside this module: compiled under dist/, TypeScript when run from the sources (tsx). */
function seedCommand(): { entry: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../../seed/cli.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  const hasTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  return { entry, execArgv: fromSources && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv };
}

/** Runs the seed command with `args`; resolves with its exit code. */
function runSeed(args: string[]): Promise<number> {
  const { entry, execArgv } = seedCommand();
  const child = spawn(process.execPath, [...execArgv, entry, ...args], { stdio: 'inherit' });
  // The child shares the terminal, so Ctrl-C reaches it too; a SIGTERM sent to this process only is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

/** A command whose options and `--help` belong to the command it hands over to. */
function handOver(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]');
}

const program = new Command('verto-fhir-mock')
  .description("Offline stand-in for Verto's FHIR bulk export API, on synthetic data.")
  .version(version, '-v, --version')
  .enablePositionalOptions();

const serve = program
  .command('serve')
  .description('Start the server. Every setting is also read from its environment variable; the flags below win over them.')
  .passThroughOptions();
for (const option of serveOptions()) serve.addOption(option);
serve
  .addHelpText('after', '\nThe other settings (ADMIN_TOKEN, JOB_*, SCENARIO_*, SMART_*, ...) are environment variables only: see the Settings table of the documentation.')
  .action(async () => {
    let env;
    try {
      // The command boots the server as src/server.ts does, its flags standing for settings:
      // the one other place that reads and sets the environment.
      // eslint-disable-next-line no-restricted-properties
      env = serveEnvironment(process.env, serve.opts(), (attribute) => serve.getOptionValueSource(attribute) === 'cli');
    } catch (err) {
      if (err instanceof ConfigError) serve.error(err.message.replace(/^Invalid settings:/, 'Invalid settings or options:'));
      throw err;
    }
    // eslint-disable-next-line no-restricted-properties
    Object.assign(process.env, env);
    // The server reads process.env when loaded, listens, and stops on SIGTERM or SIGINT.
    await import('../server.js');
  });

handOver(program, 'seed', 'Create (or replace) a database with the synthetic population (`seed --help` for its options).')
  .action(async (args: string[]) => {
    process.exitCode = await runSeed(args);
  });

handOver(program, 'import', 'Build a database from a folder of NDJSON files: `import <dir> [--db PATH] [--report PATH] [--strict]`.')
  .action(async (args: string[]) => {
    const [dir, ...rest] = args;
    if (dir === undefined || dir.startsWith('-')) program.error('import needs the folder of .ndjson files first: verto-fhir-mock import <dir> [options]');
    process.exitCode = await runSeed(['--import', dir!, ...rest]);
  });

handOver(program, 'grade', "Grade a bulk export client against the mock (`grade --help` for its options).")
  .action(async (args: string[]) => {
    // Loaded here: the grader and its requirement catalogue are not needed by the other commands.
    const { gradeMain } = await import('../grader/command.js');
    process.exitCode = await gradeMain(args);
  });

await program.parseAsync();
