// `npm run seed -- --patients N --seed S --db PATH`: (re)creates a database explicitly.
// Defaults come from the same settings the server reads, so a bare `npm run seed` rebuilds
// the database the server would create.
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../src/config.js';
import { createSeededDatabase } from './seed-database.js';

const wholeNumber = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return Number(value);
};

const config = loadConfig(process.env);
const program = new Command('seed')
  .description('Create (or replace) a database seeded with the synthetic population.')
  .option('--db <path>', 'database file to write', config.databasePath)
  .option('--patients <n>', 'number of patients', wholeNumber('--patients'), config.dataset.patients)
  .option('--seed <n>', 'generator seed', wholeNumber('--seed'), config.dataset.seed)
  .option('--reference-date <YYYY-MM-DD>', "the population's today", config.dataset.referenceDate)
  .option('--quiet', 'no progress bar')
  .parse();

const opts = program.opts<{ db: string; patients: number; seed: number; referenceDate: string; quiet?: boolean }>();
// Validate the reference date the same way the server does.
const params = loadConfig({ DATASET_PATIENTS: String(opts.patients), DATASET_SEED: String(opts.seed), DATASET_REFERENCE_DATE: opts.referenceDate }).dataset;

const bar = new SingleBar(
  { format: 'seeding [{bar}] {percentage}% | {value}/{total} patients | {resources} resources | {duration}s', hideCursor: true },
  Presets.shades_classic,
);
const quiet = opts.quiet === true || !process.stderr.isTTY;
if (!quiet) bar.start(params.patients, 0, { resources: 0 });
const started = performance.now();
const counts = await createSeededDatabase(opts.db, params, {
  onProgress: (p) => {
    if (!quiet) bar.update(p.patientsDone, { resources: p.resources });
  },
});
if (!quiet) bar.stop();
const seconds = (performance.now() - started) / 1000;
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`Wrote ${opts.db} (patients=${params.patients}, seed=${params.seed}, reference date ${params.referenceDate})`);
console.table(Object.fromEntries(Object.entries(counts).map(([type, count]) => [type, { resources: count }])));
console.log(`${total} resources in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} resources/s)`);
