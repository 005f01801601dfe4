// Seeding benchmark: `npm run bench:seed -- [--patients 1000,10000] [--dir PATH]`.
// Each size runs in a fresh child process so its memory figures are its own; it reports wall
// time, CPU time, resources per second of each, peak resident memory and the memory at each
// quarter of the run (flat memory means those stay level as the population grows), and the
// database size. Timing lives here, not in the tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededDatabase } from '../seed/seed-database.js';

interface Run {
  patients: number;
  resources: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  rssByQuarterMb: number[];
  dbMb: number;
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

if (arg('--child') !== undefined) {
  const patients = Number(arg('--child'));
  const path = join(arg('--dir')!, `bench-${patients}.db`);
  const quarters: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const counts = await createSeededDatabase(path, { patients, seed: 1, referenceDate: '2026-01-01' }, {
    onProgress: (p) => {
      while (quarters.length < 4 && p.patientsDone >= ((quarters.length + 1) * patients) / 4) {
        quarters.push(process.memoryUsage.rss() / 2 ** 20);
      }
    },
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const run: Run = {
    patients,
    resources: Object.values(counts).reduce((a, b) => a + b, 0),
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssByQuarterMb: quarters,
    dbMb: statSync(path).size / 2 ** 20,
  };
  rmSync(path, { force: true });
  console.log(JSON.stringify(run));
} else {
  const sizes = (arg('--patients') ?? '1000,10000').split(',').map(Number);
  const dir = arg('--dir') ?? mkdtempSync(join(tmpdir(), 'verto-bench-'));
  console.log(`Seeding benchmark on ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log('| patients | resources | wall s | resources/s (wall) | CPU s | resources/CPU-s | peak RSS MB | RSS at 25/50/75/100% MB | database MB |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const patients of sizes) {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child', String(patients), '--dir', dir], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Run;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-CA');
    console.log(
      `| ${fmt(r.patients)} | ${fmt(r.resources)} | ${r.wallSeconds.toFixed(1)} | ${fmt(r.resources / r.wallSeconds)} | ${r.cpuSeconds.toFixed(1)} | ${fmt(r.resources / r.cpuSeconds)} | ${fmt(r.peakRssMb)} | ${r.rssByQuarterMb.map(fmt).join(' / ')} | ${fmt(r.dbMb)} |`,
    );
  }
  if (arg('--dir') === undefined) rmSync(dir, { recursive: true, force: true });
}
