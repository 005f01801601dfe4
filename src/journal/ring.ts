// A bounded ring of journal entries: adding beyond the bound drops the oldest. Reading copies
// them out oldest first, so a reader never sees the ring change under it.
import type { JournalEntry } from './journal-entry.js';

export interface JournalFilter {
  /** Only the entries about this export job. */
  jobId?: string;
  /** Only the entries at or after this instant (an ISO 8601 string, or milliseconds since the epoch). */
  since?: string | number;
  /** At most this many, the first that match. */
  limit?: number;
}

export class RequestJournal {
  private readonly slots: JournalEntry[] = [];
  /** Where the next entry goes once the ring is full (the oldest entry's slot). */
  private next = 0;

  constructor(readonly maxEntries: number) {}

  /** False with JOURNAL_MAX_ENTRIES=0: nothing is recorded. */
  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  get size(): number {
    return this.slots.length;
  }

  add(entry: JournalEntry): void {
    if (!this.enabled) return;
    if (this.slots.length < this.maxEntries) {
      this.slots.push(entry);
      return;
    }
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.maxEntries;
  }

  /**
   * The entries that match, oldest first by arrival. An entry is added when its answer ends,
   * so a long download is added after the polls that came during it: sorted by `at` (stably).
   */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const ordered = [...this.slots.slice(this.next), ...this.slots.slice(0, this.next)];
    const since = filter.since === undefined ? undefined : typeof filter.since === 'number' ? filter.since : Date.parse(filter.since);
    const matching = ordered
      .map((entry, i) => ({ entry, i, at: Date.parse(entry.at) }))
      .filter(({ entry, at }) => (filter.jobId === undefined || entry.jobId === filter.jobId) && (since === undefined || at >= since))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ entry }) => entry);
    return filter.limit === undefined ? matching : matching.slice(0, filter.limit);
  }

  /** Empties the journal; returns how many entries it held. */
  clear(): number {
    const n = this.slots.length;
    this.slots.length = 0;
    this.next = 0;
    return n;
  }
}
