// The demo page's journal timeline, laid out from the server's own journal entries (typed as the
// server types them: the page's mirror of the shape must accept them).
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatOffset,
  layoutTimeline,
  MIN_BAR,
  requestTarget,
  scenarioLabel,
  statusClass,
} from '../../web/src/timeline.js';
import { entry, JOB } from './journal-fixtures.js';

describe('the journal timeline', () => {
  const kickOff = entry('2026-03-01T00:00:00.000Z', { path: '/api/v1/connect/fhir/$export', query: '_type=Patient', ms: 20 });
  const throttled = entry('2026-03-01T00:00:01.500Z', { status: 429, scenario: 'poll-too-fast', retryAfter: 1 });
  const done = entry('2026-03-01T00:00:03.000Z', { status: 200, bytes: 512, ms: 10, retryAfter: null });
  const cut = entry('2026-03-01T00:00:04.000Z', {
    path: '/api/v1/connect/file/f-1/download',
    query: '',
    status: 200,
    ms: 1000,
    bytes: 52_345,
    complete: false,
    fileId: 'f-1',
    scenario: 'download-truncated',
    retryAfter: null,
  });

  it('puts each request at its offset from the first, bars as fractions of the whole span', () => {
    const timeline = layoutTimeline([kickOff, throttled, done, cut]);
    // From the kick-off's arrival to the end of the cut download: 4 s + 1 s.
    expect(timeline.spanMs).toBe(5000);
    expect(timeline.firstAt).toBe(kickOff.at);
    expect(timeline.rows.map((r) => r.offsetMs)).toEqual([0, 1500, 3000, 4000]);
    expect(timeline.rows.map((r) => r.start)).toEqual([0, 0.3, 0.6, 0.8]);
    // 20 ms of 5 s is 0.004; 4 ms and 10 ms are thinner, so they get the thinnest bar.
    expect(timeline.rows.map((r) => r.width)).toEqual([0.004, MIN_BAR, MIN_BAR, 0.2]);
    expect(timeline.rows.map((r) => formatOffset(r.offsetMs))).toEqual(['+0.00 s', '+1.50 s', '+3.00 s', '+4.00 s']);
  });

  it('orders the rows by arrival, whatever order the entries come in', () => {
    const timeline = layoutTimeline([done, kickOff, throttled]);
    expect(timeline.rows.map((r) => r.entry)).toEqual([kickOff, throttled, done]);
    expect(timeline.rows.map((r) => r.offsetMs)).toEqual([0, 1500, 3000]);
  });

  it('colours by status class, says whether the body was sent to its end, and names the scenario', () => {
    const rows = layoutTimeline([kickOff, throttled, done, cut]).rows;
    expect(rows.map((r) => r.statusClass)).toEqual(['2xx', '4xx', '2xx', '2xx']);
    expect(rows.map((r) => r.body)).toEqual(['complete', 'complete', 'complete', 'cut']);
    expect(rows.map((r) => r.scenario)).toEqual(['none', 'poll-too-fast', 'none', 'download-truncated']);
    expect(rows.map((r) => r.target)).toEqual([
      '/api/v1/connect/fhir/$export?_type=Patient',
      `/api/v1/connect/fhir/$export-poll-status?_jobId=${JOB}`,
      `/api/v1/connect/fhir/$export-poll-status?_jobId=${JOB}`,
      '/api/v1/connect/file/f-1/download',
    ]);
  });

  it('keeps a bar inside the span, and a single instant request visible', () => {
    const only = layoutTimeline([entry('2026-03-01T00:00:00.000Z', { ms: 0 })]);
    expect(only.spanMs).toBe(1);
    expect(only.rows[0]).toMatchObject({ offsetMs: 0, start: 0, width: MIN_BAR });
    const late = layoutTimeline([entry('2026-03-01T00:00:00.000Z', { ms: 1000 }), entry('2026-03-01T00:00:01.000Z', { ms: 0 })]);
    expect(late.rows[1]).toMatchObject({ offsetMs: 1000, start: 1 - MIN_BAR, width: MIN_BAR });
  });

  it('keeps the journal\'s order when every request arrived at one instant (a clock that does not move)', () => {
    const at = '2026-03-01T00:00:00.000Z';
    const entries = [entry(at, { ms: 60 }), entry(at, { ms: 30, status: 200 }), entry(at, { ms: 0, status: 503 })];
    const timeline = layoutTimeline(entries);
    expect(timeline.rows.map((r) => r.entry)).toEqual(entries);
    // Every row at +0.00 s; the bars, all from the left, still show each answer's duration.
    expect(timeline.spanMs).toBe(60);
    expect(timeline.rows.map((r) => formatOffset(r.offsetMs))).toEqual(['+0.00 s', '+0.00 s', '+0.00 s']);
    expect(timeline.rows.map((r) => r.start)).toEqual([0, 0, 0]);
    expect(timeline.rows.map((r) => r.width)).toEqual([1, 0.5, MIN_BAR]);
  });

  it('is empty for an empty journal', () => {
    expect(layoutTimeline([])).toEqual({ rows: [], spanMs: 1, firstAt: null });
  });
});

describe('status classes and labels', () => {
  it('groups statuses by their first digit', () => {
    expect([200, 202, 299, 301, 304, 400, 401, 404, 429, 500, 503].map(statusClass)).toEqual([
      '2xx', '2xx', '2xx', '3xx', '3xx', '4xx', '4xx', '4xx', '4xx', '5xx', '5xx',
    ]);
  });

  it('names the scenario or says none', () => {
    expect(scenarioLabel('download-error')).toBe('download-error');
    expect(scenarioLabel(null)).toBe('none');
  });

  it('writes the request target and byte counts as a person reads them', () => {
    expect(requestTarget({ path: '/health', query: '' })).toBe('/health');
    expect(requestTarget({ path: '/p', query: 'a=1&b=2' })).toBe('/p?a=1&b=2');
    expect([0, 999, 1000, 52_345, 4_100_000].map(formatBytes)).toEqual(['0 B', '999 B', '1 kB', '52.3 kB', '4.1 MB']);
  });
});
