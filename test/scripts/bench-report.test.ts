// The benchmark's targets are read from the scenarios they name: the filtered exports (fewer
// resources through a filter) count for memory, planning time and stalls, never as the
// unfiltered throughput or the crowd.
import { describe, expect, it } from 'vitest';
import { checkTargets, resultsTable, type RunMeasure, type Scenario, type SizeResult } from '../../scripts/bench-report.js';

const run = (over: Partial<RunMeasure>): RunMeasure => ({
  manifestMs: 100,
  resourcesPerS: 200_000,
  wireMBPerS: 200,
  ndjsonMBPerS: 200,
  ttfbP50Ms: 1,
  ttfbP95Ms: 2,
  peakRssMB: 120,
  serverCpuUsPerResource: 5,
  clientCpuUsPerResource: 1.5,
  loopMaxMs: 20,
  loopOwnWorkMs: 15,
  probeMaxMs: 10,
  fairness: 1,
  errors: 0,
  ...over,
});

const size = (scenarios: Scenario[]): SizeResult => ({
  label: '1M',
  patients: 5000,
  resources: 1_000_000,
  files: 4000,
  ndjsonMB: 1000,
  databaseMB: 1400,
  scanResourcesPerS: 800_000,
  scanMBPerS: 800,
  idleRssMB: 90,
  scenarios,
});

describe('benchmark targets', () => {
  const plain: Scenario = { parallel: 4, encoding: 'identity', runs: [run({})] };
  const filtered: Scenario = {
    parallel: 4,
    encoding: 'identity',
    selection: '_since=2020-01-01T00:00:00Z',
    runs: [run({ resourcesPerS: 50_000, peakRssMB: 160, manifestMs: 2500 })],
  };

  it('takes the 4-downloader rate from the unfiltered export only, and memory and planning from all', () => {
    const checks = checkTargets([size([plain, filtered])]);
    const byTarget = (start: string) => checks.find((c) => c.target.startsWith(`1M: ${start}`))!;
    expect(byTarget('end-to-end')).toMatchObject({ met: true, measured: expect.stringContaining('200,000') });
    expect(byTarget('server peak RSS')).toMatchObject({ met: false, measured: '160 MB' });
    expect(byTarget('kick-off → manifest')).toMatchObject({ met: false });
  });

  it('names the export of each row', () => {
    const table = resultsTable([size([plain, filtered])]);
    expect(table).toContain('| 1M | all types | 4 | identity |');
    expect(table).toContain('| 1M | `_since=2020-01-01T00:00:00Z` | 4 | identity |');
  });
});
