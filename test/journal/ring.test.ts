// The journal's ring, its setting, and how Retry-After is read: on their own.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { JournalEntry } from '../../src/journal/journal-entry.js';
import { retryAfterSeconds } from '../../src/journal/recorder.js';
import { RequestJournal } from '../../src/journal/ring.js';

const T0 = Date.UTC(2026, 2, 1);
const entry = (second: number, jobId: string | null = null): JournalEntry => ({
  at: new Date(T0 + second * 1000).toISOString(),
  method: 'GET',
  path: `/p${second}`,
  query: '',
  status: 200,
  ms: 1,
  bytes: 0,
  complete: true,
  jobId,
  fileId: null,
  token: false,
  userAgent: null,
  scenario: null,
  retryAfter: null,
});

describe('RequestJournal', () => {
  it('keeps the newest maxEntries, oldest first', () => {
    const journal = new RequestJournal(3);
    for (let s = 1; s <= 7; s++) journal.add(entry(s));
    expect(journal.size).toBe(3);
    expect(journal.list().map((e) => e.path)).toEqual(['/p5', '/p6', '/p7']);
  });

  it('orders by arrival: a long answer recorded last still shows where it began', () => {
    const journal = new RequestJournal(10);
    journal.add(entry(2));
    journal.add(entry(3));
    journal.add(entry(1));
    expect(journal.list().map((e) => e.path)).toEqual(['/p1', '/p2', '/p3']);
  });

  it('filters by job, by instant (inclusive) and by count', () => {
    const journal = new RequestJournal(10);
    [entry(1, 'a'), entry(2, 'b'), entry(3, 'a'), entry(4, 'a')].forEach((e) => journal.add(e));
    expect(journal.list({ jobId: 'a' }).map((e) => e.path)).toEqual(['/p1', '/p3', '/p4']);
    expect(journal.list({ since: new Date(T0 + 3000).toISOString() }).map((e) => e.path)).toEqual(['/p3', '/p4']);
    expect(journal.list({ since: T0 + 2000, jobId: 'a', limit: 1 }).map((e) => e.path)).toEqual(['/p3']);
  });

  it('clear empties it and says how many it held; with 0 entries it keeps nothing', () => {
    const journal = new RequestJournal(2);
    journal.add(entry(1));
    journal.add(entry(2));
    journal.add(entry(3));
    expect(journal.clear()).toBe(2);
    expect(journal.list()).toEqual([]);
    journal.add(entry(4));
    expect(journal.list().map((e) => e.path)).toEqual(['/p4']);
    const off = new RequestJournal(0);
    off.add(entry(1));
    expect(off.enabled).toBe(false);
    expect(off.list()).toEqual([]);
  });
});

describe('JOURNAL_MAX_ENTRIES', () => {
  it('is 10000 by default, 0 turns the journal off, and a bad value stops the start naming it', () => {
    expect(loadConfig({}).journalMaxEntries).toBe(10_000);
    expect(loadConfig({ JOURNAL_MAX_ENTRIES: '0' }).journalMaxEntries).toBe(0);
    expect(() => loadConfig({ JOURNAL_MAX_ENTRIES: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ JOURNAL_MAX_ENTRIES: 'lots' })).toThrow(/JOURNAL_MAX_ENTRIES="lots": must be a whole number/);
    expect(() => loadConfig({ JOURNAL_MAX_ENTRIES: '1000001' })).toThrow(/JOURNAL_MAX_ENTRIES/);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds as sent, an HTTP-date as the seconds left (never below 0), and nothing else', () => {
    expect(retryAfterSeconds('5', T0)).toBe(5);
    expect(retryAfterSeconds(7, T0)).toBe(7);
    expect(retryAfterSeconds(new Date(T0 + 2500).toUTCString(), T0)).toBe(2);
    expect(retryAfterSeconds(new Date(T0 - 60_000).toUTCString(), T0)).toBe(0);
    expect(retryAfterSeconds(undefined, T0)).toBeNull();
    expect(retryAfterSeconds('soon', T0)).toBeNull();
  });
});
