// The concurrency scenario's report: the targets are read from the mock's side of each run,
// the ratio from the baseline beside it, and its own part of the document is replaced without
// touching the other generated tables.
import { describe, expect, it } from 'vitest';
import { crowdTable, crowdTargets, type CrowdResult, type LoadResult } from '../../scripts/bench-crowd.js';
import { BEGIN, CROWD_MARKERS, END, spliceGenerated } from '../../scripts/bench-report.js';

const load = (over: Partial<LoadResult>): LoadResult => ({
  connections: 100,
  seconds: 10,
  ok: 10_000,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  bytes: 0,
  p50Ms: 100,
  p99Ms: 200,
  maxMs: 300,
  over10s: 0,
  ...over,
});
const loop = { maxMs: 20, p99Ms: 10, worstGapMs: 20, worstGapCpuMs: 10, ownWorkMs: 10 };
const peakRss = 120 * 1024 * 1024;
const result = (rows: CrowdResult['rows']): CrowdResult => ({ fileResources: 250, fileBytes: 234_000, seconds: 10, rows });
const failed = (r: CrowdResult) => crowdTargets(r).filter((t) => !t.met).map((t) => t.target);

describe('concurrency targets', () => {
  it('are all met when nothing is slow, nothing fails and the mock sends ≥ 60 % of the baseline', () => {
    const r = result([{ clients: 100, encoding: 'identity', mock: load({ ok: 6_000 }), baseline: load({ ok: 10_000 }), loop, peakRss }]);
    expect(failed(r)).toEqual([]);
  });

  it('name the slow tail, the errors, the memory and the share of the baseline when they miss', () => {
    const r = result([
      { clients: 100, encoding: 'identity', mock: load({ ok: 4_000, maxMs: 2_313, p99Ms: 193 }), baseline: load({}), loop, peakRss },
      { clients: 1000, encoding: 'gzip', mock: load({ connections: 1000, over10s: 363, maxMs: 12_000, p99Ms: 5_000, non2xx: 2 }), baseline: load({}), loop, peakRss: 151 * 1024 * 1024 },
    ]);
    expect(failed(r)).toEqual([
      'max ≤ 3 × p99 at 100 clients',
      'no download over 10 s at 1,000 clients, gzip',
      'no errors at 1,000 clients, gzip',
      'server peak RSS ≤ 150 MB at 1,000 clients, gzip',
      'files/s ≥ 60 % of the baseline at 100 clients',
    ]);
  });

  it('table gives files/s, resources/s, the ratio to the baseline and the peak memory', () => {
    const table = crowdTable(result([{ clients: 200, encoding: 'gzip', mock: load({ ok: 5_000 }), baseline: load({ ok: 10_000 }), loop, peakRss }]));
    expect(table.split('\n').at(-1)).toBe('| 200 | gzip | 500 | 125,000 | 100 / 200 / 300 | 0 | 0 | 1,000 | 100 / 200 / 300 | 0 | 0 | 50 % | 1.5× | 20 ms | 120 MB |');
  });
});

describe('the concurrency part of the document', () => {
  it('is replaced on its own, leaving the other generated part as it was', () => {
    const doc = `# B\n\n${BEGIN}\nexports\n${END}\n\n${CROWD_MARKERS.begin}\nold\n${CROWD_MARKERS.end}\n\ntail\n`;
    const next = spliceGenerated(doc, 'new', CROWD_MARKERS);
    expect(next).toBe(`# B\n\n${BEGIN}\nexports\n${END}\n\n${CROWD_MARKERS.begin}\nnew\n${CROWD_MARKERS.end}\n\ntail\n`);
    expect(spliceGenerated(next, 'all')).toContain(`${BEGIN}\nall\n${END}\n\n${CROWD_MARKERS.begin}\nnew\n`);
  });
});
