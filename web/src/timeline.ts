// Step 6: the journal of one export laid out as a timeline. Pure (no DOM), so the layout is
// tested without a browser: each request is a row at its offset from the first one, with a bar
// whose start and length are fractions of the whole span, coloured by its status class.
import type { JournalEntry } from './journal-shapes.js';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

export interface TimelineRow {
  entry: JournalEntry;
  /** Milliseconds from the first request of the timeline to this one. */
  offsetMs: number;
  /** Where the bar starts and how long it is, as fractions (0..1) of the timeline's span. */
  start: number;
  width: number;
  statusClass: StatusClass;
  /** The request as sent: path and query. */
  target: string;
  /** Whether the answer's body was sent to its end. */
  body: 'complete' | 'cut';
  /** The simulated fault that shaped the answer, or `none`. */
  scenario: string;
}

export interface Timeline {
  rows: TimelineRow[];
  /** From the first request's arrival to the last answer's end, in milliseconds (at least 1). */
  spanMs: number;
  /** The first request's instant, which the offsets count from; null for an empty journal. */
  firstAt: string | null;
}

/** A bar never thinner than this fraction of the span, so a 0 ms answer still shows. */
export const MIN_BAR = 0.004;

export function statusClass(status: number): StatusClass {
  if (status < 300) return '2xx';
  if (status < 400) return '3xx';
  if (status < 500) return '4xx';
  return '5xx';
}

export const scenarioLabel = (scenario: string | null): string => scenario ?? 'none';

export const requestTarget = (entry: Pick<JournalEntry, 'path' | 'query'>): string =>
  entry.query === '' ? entry.path : `${entry.path}?${entry.query}`;

/** `+1.25 s`: an offset from the first request. */
export const formatOffset = (ms: number): string => `+${(ms / 1000).toFixed(2)} s`;

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** `512 B`, `12.3 kB`, `4.1 MB` (1 kB = 1,000 bytes, as the bytes counted on the wire). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${numbers.format(bytes / 1000)} kB`;
  return `${numbers.format(bytes / 1_000_000)} MB`;
}

const instant = (entry: JournalEntry): number => Date.parse(entry.at);

export function layoutTimeline(entries: readonly JournalEntry[]): Timeline {
  // The journal answers oldest first; sorting again (stably) keeps a merged list in order too.
  const sorted = [...entries].sort((a, b) => instant(a) - instant(b));
  const first = sorted[0];
  if (!first) return { rows: [], spanMs: 1, firstAt: null };
  const t0 = instant(first);
  const spanMs = Math.max(1, ...sorted.map((e) => instant(e) - t0 + e.ms));
  const rows = sorted.map((entry): TimelineRow => {
    const offsetMs = instant(entry) - t0;
    const width = Math.min(1, Math.max(MIN_BAR, entry.ms / spanMs));
    return {
      entry,
      offsetMs,
      start: Math.min(offsetMs / spanMs, 1 - width),
      width,
      statusClass: statusClass(entry.status),
      target: requestTarget(entry),
      body: entry.complete ? 'complete' : 'cut',
      scenario: scenarioLabel(entry.scenario),
    };
  });
  return { rows, spanMs, firstAt: first.at };
}
