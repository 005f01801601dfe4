// `npm run seed -- --patients N --seed S --db PATH`: (re)creates a database explicitly.
// `npm run seed -- --import DIR --db PATH`: builds it from a team's own NDJSON files instead.
// Defaults come from the same settings the server reads, so a bare `npm run seed` rebuilds
// the database the server would create.
import { createWriteStream } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig, ConfigError } from '../src/config.js';
import { EXPORTABLE_TYPES } from '../src/fhir/resource-types.js';
import { createSeededDatabase } from './seed-database.js';
import type { ImportProblem, ImportResult } from './import-ndjson.js';

const wholeNumber = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return Number(value);
};

const config = loadConfig(process.env);
const program = new Command('seed')
  .description('Create (or replace) a database seeded with the synthetic population, or imported from NDJSON files.')
  .option('--db <path>', 'database file to write', config.databasePath)
  .option('--patients <n>', 'number of patients', wholeNumber('--patients'), config.dataset.patients)
  .option('--seed <n>', 'generator seed', wholeNumber('--seed'), config.dataset.seed)
  .option('--reference-date <YYYY-MM-DD>', "the population's today", config.dataset.referenceDate)
  .option('--import <dir>', 'build the database from the .ndjson files in this folder instead of generating it')
  .option('--report <path>', 'with --import: where to write every rejected resource (NDJSON); default <db>.import-report.ndjson')
  .option('--strict', 'with --import: exit with status 1 when any resource is rejected')
  .option('--quiet', 'no progress bar')
  .parse();

const opts = program.opts<{
  db: string;
  patients: number;
  seed: number;
  referenceDate: string;
  import?: string;
  report?: string;
  strict?: boolean;
  quiet?: boolean;
}>();
const fail = (message: string): never => {
  program.error(message);
  throw new Error(message);
};
const quiet = opts.quiet === true || !process.stderr.isTTY;
const started = performance.now();

/** Prints counts per type as a table: exportable types in export order, then the others (Group). */
function printCounts(counts: Record<string, number>): number {
  const order = [...EXPORTABLE_TYPES, ...Object.keys(counts).filter((t) => !(EXPORTABLE_TYPES as readonly string[]).includes(t)).sort()];
  const rows = order.filter((t) => counts[t] !== undefined).map((t) => [t, { resources: counts[t]! }] as const);
  console.table(Object.fromEntries(rows));
  return rows.reduce((sum, [, r]) => sum + r.resources, 0);
}

if (opts.import !== undefined) {
  const generatorOptions = ['patients', 'seed', 'referenceDate'].filter((o) => program.getOptionValueSource(o) === 'cli');
  if (generatorOptions.length > 0) {
    fail(`--import builds the database from files; --${generatorOptions.join(', --').replace('referenceDate', 'reference-date')} do not apply.`);
  }
  const reportPath = opts.report ?? `${opts.db}.import-report.ndjson`;
  const report = createWriteStream(reportPath);
  const shown: ImportProblem[] = [];
  const bar = new SingleBar(
    { format: 'importing [{bar}] {percentage}% | {accepted} resources accepted | {duration}s', hideCursor: true },
    Presets.shades_classic,
  );
  if (!quiet) bar.start(1, 0, { accepted: 0 });
  let result: ImportResult | undefined;
  try {
    // Loaded only here: the validators' definitions are large and generating does not need them.
    const { createImportedDatabase } = await import('./import-ndjson.js');
    result = await createImportedDatabase(opts.db, opts.import, {
      defaultLastUpdated: new Date().toISOString(),
      onProblem: (p) => {
        report.write(`${JSON.stringify(p)}\n`);
        if (shown.length < 20) shown.push(p);
      },
      onProgress: (p) => {
        if (!quiet) {
          bar.setTotal(Math.max(1, p.totalBytes));
          bar.update(p.bytesRead, { accepted: p.accepted });
        }
      },
    });
  } catch (err) {
    if (!quiet) bar.stop();
    fail((err as Error).message);
  }
  if (!quiet) bar.stop();
  if (!result) throw new Error('unreachable');
  await new Promise<void>((done) => report.end(done));
  const seconds = (performance.now() - started) / 1000;
  console.log(`Wrote ${opts.db} from ${result.files.length} file(s) in ${opts.import} (${result.lines} lines read)`);
  const total = printCounts(result.accepted);
  const rejected = Object.values(result.rejected).reduce((a, b) => a + b, 0);
  console.log(`${total} resources accepted in ${seconds.toFixed(1)} s`);
  console.log(`${result.groups} Groups derived for Group-level exports (one per clinic, one per common condition)`);
  if (rejected > 0) {
    const byKind = Object.entries(result.rejected)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    console.log(`${rejected} resources rejected (${byKind}); every one is listed in ${reportPath}. The first:`);
    for (const p of shown) console.log(`  ${p.file}:${p.line} ${p.type ?? ''}${p.id ? `/${p.id}` : ''} ${p.reason}`);
  } else {
    console.log(`No resource rejected: every one is valid FHIR R4 and every reference resolves.`);
  }
  if (total === 0 || (opts.strict === true && rejected > 0)) process.exitCode = 1;
} else {
  // Validate the reference date the same way the server does.
  let params: ReturnType<typeof loadConfig>['dataset'] | undefined;
  try {
    params = loadConfig({ DATASET_PATIENTS: String(opts.patients), DATASET_SEED: String(opts.seed), DATASET_REFERENCE_DATE: opts.referenceDate }).dataset;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Name the options given here, not the settings they stand for.
    const asOptions: Record<string, string> = { DATASET_PATIENTS: '--patients', DATASET_SEED: '--seed', DATASET_REFERENCE_DATE: '--reference-date' };
    fail(
      err.message
        .replace(/^Invalid settings:/, 'Invalid options:')
        .replace(/\b(DATASET_PATIENTS|DATASET_SEED|DATASET_REFERENCE_DATE)=/g, (_m, name: string) => `${asOptions[name]}=`),
    );
  }
  if (!params) throw new Error('unreachable');
  const bar = new SingleBar(
    { format: 'seeding [{bar}] {percentage}% | {value}/{total} patients | {resources} resources | {duration}s', hideCursor: true },
    Presets.shades_classic,
  );
  if (!quiet) bar.start(params.patients, 0, { resources: 0 });
  const counts = await createSeededDatabase(opts.db, params, {
    onProgress: (p) => {
      if (!quiet) bar.update(p.patientsDone, { resources: p.resources });
    },
  });
  if (!quiet) bar.stop();
  const seconds = (performance.now() - started) / 1000;
  console.log(`Wrote ${opts.db} (patients=${params.patients}, seed=${params.seed}, reference date ${params.referenceDate})`);
  const total = printCounts(counts);
  console.log(`${total} resources in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} resources/s)`);
}
