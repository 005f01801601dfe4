// The request journal's cost on downloads: the same exports through two servers on the same
// database, one with the journal on (JOURNAL_MAX_ENTRIES=10000, the default) and one with it
// off (0), runs interleaved so that the shared machine's noise lands on both alike.
import { Agent } from 'node:http';
import type { DatasetParams } from '../src/config.js';
import { exportAll, getToken, percentile, type Encoding } from './bench-client.js';
import { BenchServer } from './bench-server.js';

export interface JournalCostRow {
  journal: 'on' | 'off';
  parallel: number;
  encoding: Encoding;
  resourcesPerS: number;
  serverCpuUsPerResource: number;
  ttfbP50Ms: number;
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

export async function journalCost(
  path: string,
  dataset: DatasetParams,
  options: { runs: number; nodeArgs?: string[]; log: (text: string) => void },
): Promise<JournalCostRow[]> {
  const servers = {
    on: await BenchServer.start({ databasePath: path, dataset, nodeArgs: options.nodeArgs, env: { JOURNAL_MAX_ENTRIES: '10000' } }),
    off: await BenchServer.start({ databasePath: path, dataset, nodeArgs: options.nodeArgs, env: { JOURNAL_MAX_ENTRIES: '0' } }),
  };
  const scenarios: { parallel: number; encoding: Encoding }[] = [
    { parallel: 1, encoding: 'identity' },
    { parallel: 4, encoding: 'identity' },
  ];
  const measured = new Map<string, { rate: number[]; cpu: number[]; ttfb: number[] }>();
  try {
    const tokens: Record<'on' | 'off', string[]> = { on: [], off: [] };
    for (const side of ['on', 'off'] as const) {
      const agent = new Agent({ keepAlive: true });
      tokens[side] = await Promise.all(Array.from({ length: 4 }, () => getToken(servers[side].origin, agent)));
      agent.destroy();
    }
    for (let run = 1; run <= options.runs; run++) {
      for (const { parallel, encoding } of scenarios) {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        const order = (run % 2 === 1 ? ['on', 'off'] : ['off', 'on']) as ('on' | 'off')[];
        for (const side of order) {
          const server = servers[side];
          const cpuBefore = server.cpuMs();
          const r = await exportAll(server.origin, tokens[side], parallel, encoding);
          const cpuUs = ((server.cpuMs() - cpuBefore) * 1000) / r.resources;
          const rate = r.resources / (r.totalMs / 1000);
          const ttfb = percentile([...r.ttfbMs].sort((a, b) => a - b), 50);
          const key = `${side} ${parallel} ${encoding}`;
          const m = measured.get(key) ?? { rate: [], cpu: [], ttfb: [] };
          m.rate.push(rate);
          m.cpu.push(cpuUs);
          m.ttfb.push(ttfb);
          measured.set(key, m);
          options.log(
            `  journal ${side}, run ${run} ${parallel}×${encoding}: ${Math.round(rate)} resources/s, ` +
              `server CPU ${cpuUs.toFixed(2)} µs/resource, TTFB p50 ${ttfb.toFixed(1)} ms, errors ${r.errors.length}`,
          );
          if (r.errors.length > 0) throw new Error(`journal ${side}: ${r.errors[0]}`);
        }
      }
    }
  } finally {
    await Promise.all([servers.on.stop(), servers.off.stop()]);
  }
  return scenarios.flatMap(({ parallel, encoding }) =>
    (['off', 'on'] as const).map((journal) => {
      const m = measured.get(`${journal} ${parallel} ${encoding}`)!;
      return { journal, parallel, encoding, resourcesPerS: median(m.rate), serverCpuUsPerResource: median(m.cpu), ttfbP50Ms: median(m.ttfb) };
    }),
  );
}

export function journalCostTable(label: string, rows: readonly JournalCostRow[]): string {
  const lines = [
    '| size | downloaders | encoding | journal | end-to-end resources/s | server CPU (µs/resource) | TTFB p50 (ms) | on vs off |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const off = rows.find((r) => r.journal === 'off' && r.parallel === row.parallel && r.encoding === row.encoding)!;
    const change =
      row.journal === 'off'
        ? ''
        : `${((row.resourcesPerS / off.resourcesPerS - 1) * 100).toFixed(1)} % rate, ${((row.serverCpuUsPerResource / off.serverCpuUsPerResource - 1) * 100).toFixed(1)} % CPU`;
    lines.push(
      `| ${label} | ${row.parallel} | ${row.encoding} | ${row.journal} | ${Math.round(row.resourcesPerS).toLocaleString('en-US')} | ` +
        `${row.serverCpuUsPerResource.toFixed(2)} | ${row.ttfbP50Ms.toFixed(1)} | ${change} |`,
    );
  }
  return lines.join('\n');
}
