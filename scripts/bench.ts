// `npm run bench`: exports whole populations through a real server process and measures what
// a client sees (time to manifest, end-to-end throughput, time to first byte) and what the
// server pays (peak RSS, event-loop delay), beside the raw SQLite scan rate of the same rows.
// Prints the tables and writes them into docs/benchmarks.md. See that document for how to read them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent } from 'node:http';
import Database from 'better-sqlite3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createSeededDatabase } from '../seed/seed-database.js';
import type { DatasetParams } from '../src/config.js';
import { EXPORTABLE_TYPES } from '../src/fhir/resource-types.js';
import { GENERATOR_VERSION } from '../seed/generator.js';
import { assertDatasetMatches, readDatasetMeta } from '../src/store/database.js';
import { exportAll, getToken, LatencyProbe, percentile, type Encoding, type ExportRequest } from './bench-client.js';
import {
  checkTargets,
  CROWD_MARKERS,
  datasetTable,
  describeMachine,
  machineText,
  resultsTable,
  spliceGenerated,
  targetsTable,
  type RunMeasure,
  type Scenario,
  type SizeResult,
} from './bench-report.js';
import { journalCost, journalCostTable, type JournalCostRow } from './bench-journal.js';
import { BenchServer } from './bench-server.js';
import { crowdBench, crowdTable, crowdTargets, crowdTargetsTable, type CrowdResult } from './bench-crowd.js';

const MB = 1e6;
const SAMPLE_PATIENTS = 300;
const REFERENCE_DATE = '2026-01-01';

/** "100k", "1M", "25000" → a number of resources. */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a size such as 20k, 100k or 1M.`);
  const factor = { '': 1, k: 1e3, m: 1e6 }[match[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(match[1]) * factor);
}

const list = <T>(parse: (s: string) => T) => (value: string) => value.split(',').map(parse);
const whole = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1.`);
  return Number(value);
};
const wholeOrZero = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return Number(value);
};
const encodingArg = (value: string): Encoding => {
  if (value !== 'identity' && value !== 'gzip') throw new InvalidArgumentError(`"${value}" is not identity or gzip.`);
  return value;
};
const label = (resources: number) => (resources >= 1e6 ? `${+(resources / 1e6).toFixed(1)}M` : `${Math.round(resources / 1e3)}k`);

const program = new Command('bench')
  .description('Measure exports end to end against a real server process on loopback.')
  .addOption(
    new Option('--sizes <list>', 'target resource counts, e.g. 100k,1M (quick run: 20k)')
      .argParser(list(parseSize))
      .default([100_000, 1_000_000], '100k,1M'),
  )
  .option('--db <path>', 'benchmark this existing database instead of generating populations')
  .option('--cache-dir <dir>', 'keep generated databases here and reuse them on later runs')
  .option('--runs <n>', 'runs of each scenario (figures are medians)', whole('--runs'), 3)
  .option('--parallel <list>', 'parallel downloads per scenario', list(whole('--parallel')), [1, 4])
  .option('--encodings <list>', 'identity and/or gzip (exports and the concurrency scenario)', list(encodingArg), ['identity', 'gzip'] as Encoding[])
  .option('--crowd <n>', 'also run this many downloaders at once (identity); 0 = skip', wholeOrZero('--crowd'), 16)
  .option('--no-filtered', 'skip the filtered exports (standard profile: a _typeFilter, and a _since selecting half the rows)')
  .option('--no-journal', "skip the request journal's cost (downloads with JOURNAL_MAX_ENTRIES=10000 and 0, smallest size)")
  .option('--concurrency <list>', 'keep-alive clients of the concurrency scenario (smallest size, beside the in-memory baseline)', list(whole('--concurrency')), [100, 200, 1000])
  .option('--concurrency-seconds <n>', 'seconds of each concurrency run', whole('--concurrency-seconds'), 12)
  .option('--no-concurrency-scenario', 'skip the concurrency scenario')
  .option('--only-concurrency', 'run only the concurrency scenario (on the smallest size), to iterate quickly')
  .option('--seed <n>', 'generator seed', whole('--seed'), 1)
  .option('--cpu-prof <dir>', 'write a V8 CPU profile of the server per size into this folder')
  .option('--server-node-args <args>', 'extra node options for the server, space-separated (e.g. "--max-semi-space-size=4")')
  .option('--out <file>', 'document to write the tables into', 'docs/benchmarks.md')
  .option('--no-write', 'print only; leave the document alone')
  .parse();

const opts = program.opts<{
  sizes: number[];
  db?: string;
  cacheDir?: string;
  runs: number;
  parallel: number[];
  encodings: Encoding[];
  crowd: number;
  filtered: boolean;
  journal: boolean;
  concurrency: number[];
  concurrencySeconds: number;
  concurrencyScenario: boolean;
  onlyConcurrency?: boolean;
  seed: number;
  cpuProf?: string;
  serverNodeArgs?: string;
  out: string;
  write: boolean;
}>();

const log = (text: string) => process.stderr.write(`${text}\n`);
const scratch = mkdtempSync(join(tmpdir(), 'verto-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Resources per patient, measured on a small population (the generator's richness may change). */
async function resourcesPerPatient(seed: number): Promise<number> {
  const path = join(scratch, 'sample.db');
  const counts = await createSeededDatabase(path, { patients: SAMPLE_PATIENTS, seed, referenceDate: REFERENCE_DATE });
  rmSync(path);
  return Object.values(counts).reduce((a, b) => a + b, 0) / SAMPLE_PATIENTS;
}

/** Whether a kept database is what the server and the generator would make now. */
function isCurrent(path: string, dataset: DatasetParams): boolean {
  const db = new Database(path, { readonly: true });
  try {
    assertDatasetMatches(db, path, dataset);
    const meta = readDatasetMeta(db);
    return meta?.source !== 'import' && meta?.generator === GENERATOR_VERSION;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * A population of about `resources` resources. The rate measured on the sample is a first
 * guess (a small panel shares its clinics among fewer patients); when the population made
 * with it is more than 2 % off, it is made again at the rate it showed.
 */
async function databaseFor(resources: number, perPatient: number): Promise<{ path: string; dataset: DatasetParams }> {
  let rate = perPatient;
  for (let attempt = 1; ; attempt++) {
    const made = await populationOf(Math.max(1, Math.round(resources / rate)));
    const off = made.resources / resources - 1;
    if (Math.abs(off) <= 0.02 || attempt === 2) return made;
    log(`  ${made.resources} resources, ${(off * 100).toFixed(1)} % off the target: making it again`);
    rmSync(made.path, { force: true });
    rate = made.resources / made.dataset.patients;
  }
}

async function populationOf(patients: number): Promise<{ path: string; dataset: DatasetParams; resources: number }> {
  const dataset: DatasetParams = { patients, seed: opts.seed, referenceDate: REFERENCE_DATE };
  const dir = opts.cacheDir ? resolve(opts.cacheDir) : scratch;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bench-${dataset.patients}p-seed${dataset.seed}.db`);
  if (existsSync(path) && isCurrent(path, dataset)) {
    log(`using ${path}`);
    forgetJobs(path);
    return { path, dataset, resources: resourceCount(path) };
  }
  log(`generating ${dataset.patients} patients into ${path}`);
  const started = performance.now();
  const counts = await createSeededDatabase(path, dataset);
  log(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { path, dataset, resources: Object.values(counts).reduce((a, b) => a + b, 0) };
}

function resourceCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM resource').pluck().get() as number;
  } finally {
    db.close();
  }
}

/**
 * Empties the export jobs, their files and the tokens of a database the benchmark made, so
 * every run starts as a fresh server would, not with the rows (and the start-up sweep) that
 * earlier runs left behind. A database given with --db is never changed.
 */
function forgetJobs(path: string): void {
  const db = new Database(path);
  try {
    db.exec('DELETE FROM job_file; DELETE FROM job; DELETE FROM token;');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** The yardstick: the export's rows read straight from SQLite, best of three. */
function rawScan(path: string): { resources: number; bytes: number; resourcesPerS: number; databaseBytes: number } {
  const db = new Database(path, { readonly: true });
  try {
    const scan = db.prepare('SELECT json FROM resource WHERE type = ? ORDER BY rid').pluck();
    const bytes = db.prepare('SELECT COALESCE(SUM(LENGTH(CAST(json AS BLOB))) + COUNT(*), 0) FROM resource WHERE type = ?').pluck();
    let best = Infinity;
    let resources = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      resources = 0;
      for (const type of EXPORTABLE_TYPES) for (const json of scan.iterate(type)) resources += (json as string).length > 0 ? 1 : 0;
      best = Math.min(best, performance.now() - started);
    }
    const total = EXPORTABLE_TYPES.reduce((n, type) => n + (bytes.get(type) as number), 0);
    // Pages in use, not the file's size: free pages left by deleted jobs are not data.
    const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
    const databaseBytes = (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
    return { resources, bytes: total, resourcesPerS: resources / (best / 1000), databaseBytes };
  } finally {
    db.close();
  }
}

/** The instant with half of the rows last updated before it: a `_since` that selects about half. */
function medianLastUpdated(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const n = db.prepare('SELECT COUNT(*) FROM resource').pluck().get() as number;
    return db.prepare('SELECT last_updated FROM resource ORDER BY last_updated LIMIT 1 OFFSET ?').pluck().get(Math.floor(n / 2)) as string;
  } finally {
    db.close();
  }
}

/** Filtered exports through the standard profile: files that are not plain key ranges. */
function filteredScenarios(path: string): { scenario: Scenario; request: ExportRequest }[] {
  const headers = { accept: 'application/fhir+json', prefer: 'respond-async' };
  const since = medianLastUpdated(path);
  return [
    { selection: '_type=Observation&_typeFilter=Observation?category=vital-signs', query: `?_type=Observation&_typeFilter=${encodeURIComponent('Observation?category=vital-signs')}` },
    { selection: `_since=${since}`, query: `?_since=${encodeURIComponent(since)}` },
  ].map(({ selection, query }) => ({ scenario: { parallel: 4, encoding: 'identity', selection, runs: [] }, request: { query, headers } }));
}

async function benchSize(path: string, dataset: DatasetParams): Promise<SizeResult> {
  const scan = rawScan(path);
  log(`raw scan: ${scan.resources} resources, ${Math.round(scan.resourcesPerS)} resources/s`);
  const cpuProfileDir = opts.cpuProf ? resolve(opts.cpuProf) : undefined;
  const nodeArgs = opts.serverNodeArgs?.split(' ').filter(Boolean);
  let files = 0;
  let ndjsonBytes = 0;

  /** Runs the scenarios `opts.runs` times each, interleaved, so a noisy minute on the shared machine does not land on one only. */
  const runAll = async (server: BenchServer, planned: { scenario: Scenario; request: ExportRequest }[]) => {
    const crowd = Math.max(...planned.map((p) => p.scenario.parallel), 1);
    const tokenAgent = new Agent({ keepAlive: true });
    const tokens = await Promise.all(Array.from({ length: crowd }, () => getToken(server.origin, tokenAgent)));
    tokenAgent.destroy();
    for (let run = 1; run <= opts.runs; run++) {
      for (const { scenario, request } of planned) {
        await server.resetPeaks();
        const probe = new LatencyProbe(server.origin);
        probe.start();
        const cpuBefore = server.cpuMs();
        const clientCpuBefore = process.cpuUsage();
        const r = await exportAll(server.origin, tokens, scenario.parallel, scenario.encoding, request);
        const serverCpuMs = server.cpuMs() - cpuBefore;
        const clientCpu = process.cpuUsage(clientCpuBefore);
        const latency = await probe.stop();
        const loop = await server.loopDelay();
        const ttfb = [...r.ttfbMs].sort((a, b) => a - b);
        const seconds = r.totalMs / 1000;
        const measure: RunMeasure = {
          manifestMs: r.manifestMs,
          resourcesPerS: r.resources / seconds,
          wireMBPerS: r.wireBytes / MB / seconds,
          ndjsonMBPerS: r.ndjsonBytes / MB / seconds,
          ttfbP50Ms: percentile(ttfb, 50),
          ttfbP95Ms: percentile(ttfb, 95),
          peakRssMB: server.peakRssBytes() / MB,
          serverCpuUsPerResource: (serverCpuMs * 1000) / r.resources,
          clientCpuUsPerResource: (clientCpu.user + clientCpu.system) / r.resources,
          loopMaxMs: loop.maxMs,
          loopOwnWorkMs: loop.ownWorkMs,
          probeMaxMs: latency.maxMs,
          fairness: Math.min(...r.workerResources) / Math.max(...r.workerResources),
          errors: r.errors.length + latency.errors,
        };
        scenario.runs.push(measure);
        if (!scenario.selection) {
          files = r.files;
          ndjsonBytes = r.ndjsonBytes;
        }
        for (const e of r.errors.slice(0, 3)) log(`  error: ${e}`);
        log(
          `  run ${run} ${scenario.parallel}×${scenario.encoding}${scenario.selection ? ` ${scenario.selection}` : ''}: ` +
            `${r.resources} resources in ${r.files} files, manifest ${(r.manifestMs / 1000).toFixed(2)} s, ` +
            `${Math.round(measure.resourcesPerS)} resources/s, ${measure.wireMBPerS.toFixed(1)} MB/s, ` +
            `TTFB p50 ${measure.ttfbP50Ms.toFixed(1)} ms, CPU server ${measure.serverCpuUsPerResource.toFixed(1)} / client ${measure.clientCpuUsPerResource.toFixed(1)} µs/resource, peak RSS ${measure.peakRssMB.toFixed(0)} MB, ` +
            `loop max ${loop.maxMs} ms (longest gap ${loop.worstGapMs} ms with ${loop.worstGapCpuMs} ms CPU; own work ≤ ${loop.ownWorkMs} ms), probe max ${latency.maxMs.toFixed(1)} ms, errors ${measure.errors}`,
        );
      }
    }
    if (!server.peakResettable) log('  note: peak RSS could not be reset per run; figures are the server lifetime peak');
  };

  const planned: { scenario: Scenario; request: ExportRequest }[] = [];
  for (const encoding of opts.encodings) {
    for (const parallel of opts.parallel) planned.push({ scenario: { parallel, encoding, runs: [] }, request: {} });
  }
  if (opts.crowd > 0) planned.push({ scenario: { parallel: opts.crowd, encoding: 'identity', runs: [] }, request: {} });
  const server = await BenchServer.start({ databasePath: path, dataset, cpuProfileDir, nodeArgs });
  let idleRssMB: number;
  try {
    idleRssMB = server.rssBytes() / MB;
    await runAll(server, planned);
  } finally {
    await server.stop();
  }
  const filtered = opts.filtered ? filteredScenarios(path) : [];
  if (filtered.length > 0) {
    log('  filtered exports, standard profile:');
    const standard = await BenchServer.start({ databasePath: path, dataset, nodeArgs, env: { PROFILE: 'standard' } });
    try {
      await runAll(standard, filtered);
    } finally {
      await standard.stop();
    }
  }
  return {
    label: label(scan.resources),
    patients: dataset.patients,
    resources: scan.resources,
    files,
    ndjsonMB: ndjsonBytes / MB,
    databaseMB: scan.databaseBytes / MB,
    scanResourcesPerS: scan.resourcesPerS,
    scanMBPerS: (scan.bytes / MB) * (scan.resourcesPerS / scan.resources),
    idleRssMB,
    scenarios: [...planned, ...filtered].map((p) => p.scenario),
  };
}

const sqliteVersion = (() => {
  const db = new Database(':memory:');
  const version = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return version;
})();
const machine = describeMachine(sqliteVersion);
machine.serverNodeArgs = opts.serverNodeArgs;
const results: SizeResult[] = [];
let journalRows: { label: string; rows: JournalCostRow[] } | undefined;

let crowd: CrowdResult | undefined;

/** The concurrency scenario, run once, on the first (smallest) data set. */
async function measureCrowd(path: string, dataset: DatasetParams): Promise<void> {
  if (!(opts.concurrencyScenario || opts.onlyConcurrency) || crowd) return;
  crowd = await crowdBench(path, dataset, {
    clients: opts.concurrency,
    encodings: opts.encodings,
    seconds: opts.concurrencySeconds,
    scratch,
    nodeArgs: opts.serverNodeArgs?.split(' ').filter(Boolean),
    cpuProfileDir: opts.cpuProf ? resolve(opts.cpuProf) : undefined,
    log,
  });
}

/** The journal's cost, measured once, on the first (smallest) data set. */
async function measureJournal(path: string, dataset: DatasetParams, resources: string): Promise<void> {
  if (!opts.journal || journalRows) return;
  log('request journal on and off:');
  const rows = await journalCost(path, dataset, { runs: opts.runs, nodeArgs: opts.serverNodeArgs?.split(' ').filter(Boolean), log });
  journalRows = { label: resources, rows };
}

if (opts.db) {
  const path = resolve(opts.db);
  const db = new Database(path, { readonly: true });
  const meta = readDatasetMeta(db);
  db.close();
  if (!meta) throw new Error(`${path} holds no dataset description; was it made by this server?`);
  if (meta.source === 'import') throw new Error(`${path} was imported from NDJSON files; the benchmark needs a generated database.`);
  const dataset = { patients: meta.patients, seed: meta.seed, referenceDate: meta.referenceDate };
  const check = new Database(path, { readonly: true });
  try {
    // The server would refuse it (e.g. an older schema); say why here rather than after a timeout.
    assertDatasetMatches(check, path, dataset);
  } finally {
    check.close();
  }
  await measureCrowd(path, dataset);
  if (!opts.onlyConcurrency) {
    results.push(await benchSize(path, dataset));
    await measureJournal(path, dataset, results[0]!.label);
  }
} else {
  const perPatient = await resourcesPerPatient(opts.seed);
  log(`the generator makes ${perPatient.toFixed(2)} resources per patient (sample of ${SAMPLE_PATIENTS})`);
  for (const size of opts.onlyConcurrency ? opts.sizes.slice(0, 1) : opts.sizes) {
    const { path, dataset } = await databaseFor(size, perPatient);
    await measureCrowd(path, dataset);
    if (!opts.onlyConcurrency) {
      results.push(await benchSize(path, dataset));
      await measureJournal(path, dataset, results.at(-1)!.label);
    }
    if (!opts.cacheDir) rmSync(path, { force: true });
  }
}
machine.loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');

const generated = [
  machineText(machine, opts.runs),
  '',
  '### Data sets',
  '',
  datasetTable(results),
  '',
  '### Exports',
  '',
  resultsTable(results),
  '',
  '### Targets',
  '',
  targetsTable(checkTargets(results)),
  ...(journalRows ? ['', '### Request journal', '', journalCostTable(journalRows.label, journalRows.rows)] : []),
].join('\n');
const crowdGenerated = crowd
  ? [
      `- Run on ${machine.date}; load average ${machine.loadBefore} before and ${machine.loadAfter} after (the machine is shared).`,
      '',
      crowdTable(crowd),
      '',
      crowdTargetsTable(crowdTargets(crowd)),
    ].join('\n')
  : undefined;
if (!opts.onlyConcurrency) process.stdout.write(`${generated}\n`);
if (crowdGenerated) process.stdout.write(`\n### Concurrency\n\n${crowdGenerated}\n`);
if (opts.write) {
  const out = resolve(opts.out);
  let text = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (!opts.onlyConcurrency) text = spliceGenerated(text, generated);
  if (crowdGenerated) text = spliceGenerated(text, crowdGenerated, CROWD_MARKERS);
  writeFileSync(out, text ?? '');
  log(`wrote ${out}`);
}
