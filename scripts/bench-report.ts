// Turns benchmark runs into the summary table, the target check and the generated part of
// docs/benchmarks.md. Each figure is the median over the runs of a scenario (the machine is
// shared and noisy), except peak RSS and errors, which are the worst run.
import { cpus, loadavg, release, totalmem } from 'node:os';
import { percentile, type Encoding } from './bench-client.js';

export interface RunMeasure {
  manifestMs: number;
  resourcesPerS: number;
  wireMBPerS: number;
  ndjsonMBPerS: number;
  ttfbP50Ms: number;
  ttfbP95Ms: number;
  peakRssMB: number;
  /** Server CPU time (all threads) per resource exported: what the export costs, however busy the machine. */
  serverCpuUsPerResource: number;
  /** The benchmark's own CPU time per resource (HTTP client, line counting, gunzip), on the same cores. */
  clientCpuUsPerResource: number;
  loopMaxMs: number;
  /** The longest the server's own work held its event loop: min(gap, CPU used in it), over all gaps. */
  loopOwnWorkMs: number;
  probeMaxMs: number;
  /** The smallest share of the throughput a downloader got over the largest (1 = perfectly even). */
  fairness: number;
  errors: number;
}

export interface Scenario {
  parallel: number;
  encoding: Encoding;
  /** A filtered export (standard profile), as its kick-off parameters; absent = every type, system level. */
  selection?: string;
  runs: RunMeasure[];
}

export interface SizeResult {
  label: string;
  patients: number;
  resources: number;
  files: number;
  ndjsonMB: number;
  databaseMB: number;
  scanResourcesPerS: number;
  scanMBPerS: number;
  idleRssMB: number;
  scenarios: Scenario[];
}

export interface Machine {
  cpu: string;
  memory: string;
  kernel: string;
  node: string;
  sqlite: string;
  loadBefore: string;
  loadAfter?: string;
  date: string;
  /** Extra node options the server ran with, when not started exactly as users start it. */
  serverNodeArgs?: string;
}

export function describeMachine(sqlite: string): Machine {
  const cpu = cpus();
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: `Linux ${release()}`,
    node: process.version,
    sqlite,
    loadBefore: loadavg().map((l) => l.toFixed(2)).join(' '),
    date: new Date().toISOString().slice(0, 10),
  };
}

const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/** One scenario's runs reduced to a single row. */
export function summarize(s: Scenario): RunMeasure {
  const m = (pick: (r: RunMeasure) => number) => median(s.runs.map(pick));
  return {
    manifestMs: m((r) => r.manifestMs),
    resourcesPerS: m((r) => r.resourcesPerS),
    wireMBPerS: m((r) => r.wireMBPerS),
    ndjsonMBPerS: m((r) => r.ndjsonMBPerS),
    ttfbP50Ms: m((r) => r.ttfbP50Ms),
    ttfbP95Ms: m((r) => r.ttfbP95Ms),
    peakRssMB: Math.max(...s.runs.map((r) => r.peakRssMB)),
    serverCpuUsPerResource: m((r) => r.serverCpuUsPerResource),
    clientCpuUsPerResource: m((r) => r.clientCpuUsPerResource),
    loopMaxMs: m((r) => r.loopMaxMs),
    loopOwnWorkMs: m((r) => r.loopOwnWorkMs),
    probeMaxMs: m((r) => r.probeMaxMs),
    fairness: m((r) => r.fairness),
    errors: Math.max(...s.runs.map((r) => r.errors)),
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const dec = (n: number, digits = 1) => n.toFixed(digits);

function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

export function resultsTable(sizes: readonly SizeResult[]): string {
  const rows: string[][] = [];
  for (const size of sizes) {
    for (const scenario of size.scenarios) {
      const s = summarize(scenario);
      rows.push([
        size.label,
        scenario.selection ? `\`${scenario.selection}\`` : 'all types',
        `${scenario.parallel}`,
        scenario.encoding,
        dec(s.manifestMs / 1000, 2),
        int(s.resourcesPerS),
        dec(s.wireMBPerS),
        `${dec(s.resourcesPerS / size.scanResourcesPerS * 100, 0)} %`,
        `${dec(s.ttfbP50Ms)} / ${dec(s.ttfbP95Ms)}`,
        `${dec(s.serverCpuUsPerResource)} / ${dec(s.clientCpuUsPerResource)}`,
        int(s.peakRssMB),
        `${dec(s.loopMaxMs)} / ${dec(s.loopOwnWorkMs)}`,
        dec(s.probeMaxMs),
        dec(s.fairness, 2),
        `${s.errors}`,
      ]);
    }
  }
  return table(
    [
      'size',
      'export',
      'downloaders',
      'encoding',
      'kick-off → manifest (s)',
      'end-to-end resources/s',
      'MB/s on the wire',
      'of raw scan',
      'TTFB p50 / p95 (ms)',
      'CPU server / client (µs/resource)',
      'server peak RSS (MB)',
      'event loop: max delay / longest own work (ms)',
      '/health + token max (ms)',
      'fairness',
      'errors',
    ],
    rows,
  );
}

export function datasetTable(sizes: readonly SizeResult[]): string {
  return table(
    ['size', 'patients', 'resources', 'files (250 each)', 'NDJSON MB', 'database MB', 'raw SQLite scan resources/s', 'raw scan MB/s', 'idle server RSS (MB)'],
    sizes.map((s) => [
      s.label,
      int(s.patients),
      int(s.resources),
      int(s.files),
      int(s.ndjsonMB),
      int(s.databaseMB),
      int(s.scanResourcesPerS),
      int(s.scanMBPerS),
      int(s.idleRssMB),
    ]),
  );
}

interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export function checkTargets(sizes: readonly SizeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const find = (size: SizeResult, parallel: number, encoding: Encoding) => {
    const s = size.scenarios.find((x) => !x.selection && x.parallel === parallel && x.encoding === encoding);
    return s && summarize(s);
  };
  for (const size of sizes) {
    const all = size.scenarios.map(summarize);
    const four = find(size, 4, 'identity');
    if (four) {
      checks.push({
        target: `${size.label}: end-to-end, 4 downloaders, identity ≥ 100,000 resources/s and within 10× of the raw scan`,
        measured: `${int(four.resourcesPerS)} resources/s (${dec(size.scanResourcesPerS / four.resourcesPerS)}× below the scan)`,
        met: four.resourcesPerS >= 100_000 && four.resourcesPerS * 10 >= size.scanResourcesPerS,
      });
    }
    const manifest = Math.max(...all.map((s) => s.manifestMs));
    checks.push({
      target: `${size.label}: kick-off → manifest ≤ 2 s`,
      measured: `${dec(manifest / 1000, 2)} s (slowest scenario)`,
      met: manifest <= 2000,
    });
    const one = find(size, 1, 'identity');
    if (one) {
      checks.push({
        target: `${size.label}: time to first byte of a file ≤ 10 ms (1 downloader, p95)`,
        measured: `${dec(one.ttfbP95Ms)} ms (p50 ${dec(one.ttfbP50Ms)} ms)`,
        met: one.ttfbP95Ms <= 10,
      });
    }
    const rss = Math.max(...all.map((s) => s.peakRssMB));
    checks.push({ target: `${size.label}: server peak RSS ≤ 150 MB`, measured: `${int(rss)} MB`, met: rss <= 150 });
    const delay = Math.max(...all.map((s) => s.loopMaxMs));
    const ownWork = Math.max(...all.map((s) => s.loopOwnWorkMs));
    checks.push({
      target: `${size.label}: no event-loop stall over 50 ms`,
      measured: `max delay ${dec(delay)} ms; longest the server's own work held the loop ${dec(ownWork)} ms (worst scenarios)`,
      met: delay <= 50,
    });
    const crowd = size.scenarios.filter((x) => !x.selection && x.parallel >= 16);
    for (const c of crowd) {
      const s = summarize(c);
      checks.push({
        target: `${size.label}: ${c.parallel} downloaders at once share without errors`,
        measured: `${s.errors} errors, smallest/largest downloader's share ${dec(s.fairness, 2)}, ${int(s.resourcesPerS)} resources/s, max event-loop delay ${dec(s.loopMaxMs)} ms`,
        met: s.errors === 0 && s.fairness >= 0.5,
      });
    }
  }
  return checks;
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return table(
    ['target', 'measured', 'met'],
    checks.map((c) => [c.target, c.measured, c.met ? 'yes' : '**no**']),
  );
}

export function machineText(m: Machine, runs: number): string {
  return [
    `- Machine: ${m.cpu}, ${m.memory} RAM, ${m.kernel}; Node ${m.node}; SQLite ${m.sqlite}.`,
    `- Run on ${m.date}; load average ${m.loadBefore} before and ${m.loadAfter ?? '?'} after (the machine is shared).`,
    `- Each scenario ran ${runs} times, interleaved with the others; each figure is the median of the runs,`,
    '  except peak RSS and errors, which are the worst run.',
    ...(m.serverNodeArgs ? [`- The server ran with extra node options: \`${m.serverNodeArgs}\`.`] : []),
  ].join('\n');
}

export const BEGIN = '<!-- bench:begin (written by npm run bench; edits inside are overwritten) -->';
export const END = '<!-- bench:end -->';
/** The concurrency scenario's own generated part, so a run of that scenario alone leaves the rest. */
export const CROWD_MARKERS = {
  begin: '<!-- bench:concurrency:begin (written by npm run bench; edits inside are overwritten) -->',
  end: '<!-- bench:concurrency:end -->',
};

/** The document with its generated part replaced (or the generated part alone, for a new document). */
export function spliceGenerated(existing: string | undefined, generated: string, markers = { begin: BEGIN, end: END }): string {
  const block = `${markers.begin}\n${generated}\n${markers.end}`;
  if (existing === undefined) return `# Benchmarks\n\n${block}\n`;
  const from = existing.indexOf(markers.begin);
  const to = existing.indexOf(markers.end);
  if (from === -1 || to === -1) return `${existing.trimEnd()}\n\n${block}\n`;
  return existing.slice(0, from) + block + existing.slice(to + markers.end.length);
}
