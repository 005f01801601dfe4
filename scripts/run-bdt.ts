// `npx tsx scripts/run-bdt.ts`: runs SMART's Bulk Data Testing suite (BDT) against a freshly
// started server in the standard profile, and prints how many of its tests passed, failed and
// were not run, with the reason of each failure. BDT is fetched at a pinned commit into a temp
// folder and its dependencies installed from npm; nothing of it stays in this repository.
// Not part of `npm test` or `.ci/run`: it needs the suite's repository and the npm registry.
// docs/clients.md records the last result and explains each remaining failure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The BDT commit the figures in docs/clients.md come from (its default branch, version 2.0.0). */
const BDT_COMMIT = '3a1721186f0b33406c23a60badb5cd2ab99e21e4';
const BDT_REPOSITORY = 'https://github.com/smart-on-fhir/bdt.git';
const BASE_PATH = '/api/v1/connect';

const program = new Command('run-bdt')
  .description("Run SMART's Bulk Data Testing suite (BDT) against a fresh server in the standard profile.")
  .addOption(new Option('--repository <url-or-path>', 'where to fetch BDT from: a git URL or a local git directory').env('BDT_REPOSITORY').default(BDT_REPOSITORY))
  .addOption(new Option('--commit <sha>', 'the BDT commit to run').env('BDT_COMMIT').default(BDT_COMMIT))
  .option('--patients <n>', 'population size of the fresh database', '100')
  .option('--match <regexp>', "run only the BDT tests whose name matches (BDT's own --match)", '')
  .option('--keep', 'keep the temp folder (BDT, its config, the database, the server log) and say where it is', false)
  .parse();

const options = program.opts<{ repository: string; commit: string; patients: string; match: string; keep: boolean }>();

interface BdtTest {
  name: string;
  status?: string;
  children?: BdtTest[];
  console?: { entries: { type: string; data: unknown[] }[] };
}

type BdtModule = {
  default: {
    loadConfigFile(path: string): Promise<Record<string, unknown>>;
    test(args: { config: Record<string, unknown>; path: string; pattern: string; reporter: string; reporterOptions: object }): Promise<BdtTest>;
  };
};

const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

/** BDT at the pinned commit, its runtime dependencies installed (engine-strict off: it asks for an old Node but runs on ours). */
function fetchBdt(folder: string): string {
  const dir = join(folder, 'bdt');
  // A local directory is fetched through file:// so that a single commit can be asked for.
  const source = /^[a-z]+:\/\//.test(options.repository) ? options.repository : `file://${options.repository}`;
  console.log(`Fetching BDT ${options.commit.slice(0, 12)} from ${options.repository}`);
  run('git', ['init', '--quiet', dir], folder);
  run('git', ['fetch', '--quiet', '--depth', '1', source, options.commit], dir);
  run('git', ['checkout', '--quiet', 'FETCH_HEAD'], dir);
  console.log('Installing its dependencies from npm');
  run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error'], dir);
  return dir;
}

/** The server, from the sources, on a free loopback port; resolves with its origin once it is healthy. */
async function startServer(folder: string): Promise<{ child: ChildProcess; origin: string }> {
  const log = join(folder, 'server.log');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      PROFILE: 'standard',
      // BDT's "authentication: none": no token, as the figures in docs/clients.md were taken.
      AUTH: 'off',
      DATABASE_PATH: join(folder, 'bdt.db'),
      DATASET_PATIENTS: options.patients,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    writeFileSync(log, text);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${text}`);
    const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
    if (listening) {
      const health = await fetch(`${listening[1]!}/health`).catch(() => undefined);
      if (health?.status === 200) return { child, origin: listening[1]! };
    }
    await sleep(200);
  }
  child.kill();
  throw new Error(`the server was not healthy within 2 minutes:\n${text}`);
}

/** BDT's configuration: the standard profile's FHIR base, a Group of the data set, no authentication. */
async function writeConfig(folder: string, origin: string): Promise<string> {
  const fhir = `${origin}${BASE_PATH}/fhir`;
  const search = await fetch(`${fhir}/Group?name=patients%20of`);
  const group = ((await search.json()) as { entry: { resource: { id: string } }[] }).entry[0]!.resource.id;
  const config = {
    baseURL: fhir,
    // Named here, as BDT's documentation suggests, because BDT looks for them in the
    // CapabilityStatement under the operation names "patient-export" and "group-export",
    // where the IG (and this server) name them all "export".
    systemExportEndpoint: '$export',
    patientExportEndpoint: 'Patient/$export',
    groupExportEndpoint: `Group/${group}/$export`,
    fastestResource: 'Patient',
    authentication: { type: 'none', optional: true },
    requests: { strictSSL: false, timeout: 30_000 },
  };
  const path = join(folder, 'bdt-config.js');
  writeFileSync(path, `module.exports = ${JSON.stringify(config, null, 2)};\n`);
  return path;
}

/** Every test of the tree, with the message of its first error when it failed. */
function leaves(node: BdtTest, out: { name: string; status: string; reason: string }[] = []) {
  if (node.children) for (const child of node.children) leaves(child, out);
  else {
    const error = node.console?.entries.find((e) => e.type === 'error')?.data[0] as { message?: string } | string | undefined;
    const message = typeof error === 'string' ? error : (error?.message ?? '');
    // BDT's assertion messages are "\n✖ step\n✖ step\n✖ Assertion": keep the steps.
    const steps = message.split('\n').map((line) => line.replace(/^✖\s*/, '').trim());
    const reason = steps.filter((line) => !['', 'Assertion', 'Error:'].includes(line)).join(' / ');
    // A test for another Bulk Data version is skipped with this note; BDT leaves it out of its counts.
    const otherVersion = node.console?.entries.some((e) => e.type === 'info' && String(e.data[0]).includes('requires API version'));
    const status = otherVersion ? 'other version' : (node.status ?? 'other version');
    out.push({ name: node.name, status, reason: reason.length > 400 ? `${reason.slice(0, 400)}…` : reason });
  }
  return out;
}

async function main(): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'verto-bdt-'));
  let server: ChildProcess | undefined;
  try {
    const dir = fetchBdt(folder);
    const started = await startServer(folder);
    server = started.child;
    console.log(`Server (standard profile, AUTH=off) at ${started.origin}`);
    const configPath = await writeConfig(folder, started.origin);
    const bdt = (createRequire(join(dir, 'package.json'))('./build/lib/bdt.js') as BdtModule).default;
    const config = { ...(await bdt.loadConfigFile(configPath)), apiVersion: '2.0', bail: false, match: options.match };
    const root = await bdt.test({ config, path: '', pattern: '**/*.test.js', reporter: 'console', reporterOptions: { wrap: 160, colors: false, verbose: 'never' } });

    const tests = leaves(root);
    const passed = tests.filter((t) => t.status === 'succeeded').length;
    const failed = tests.filter((t) => t.status === 'failed');
    // Not run: skipped, or "not supported" (BDT's verdict when a test's precondition is not met,
    // e.g. the authorization tests with authentication off), or not implemented in BDT.
    const notRun = tests.filter((t) => ['skipped', 'not-supported', 'not-implemented'].includes(t.status)).length;
    const otherVersion = tests.filter((t) => t.status === 'other version').length;
    console.log('\nBDT against the standard profile');
    console.log('| passed | failed | not run |\n|---|---|---|');
    console.log(`| ${passed} | ${failed.length} | ${notRun} |`);
    if (otherVersion > 0) console.log(`\n(${otherVersion} more tests are for another Bulk Data version, and not counted.)`);
    if (failed.length > 0) {
      console.log('\nFailed:');
      for (const t of failed) console.log(`- ${t.name}: ${t.reason}`);
    }
    return failed.length > 0 ? 1 : 0;
  } finally {
    server?.kill();
    if (options.keep) console.log(`Kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
