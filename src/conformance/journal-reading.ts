// How the requirement checks read the journal: which entries are token requests, kick-offs,
// polls and downloads, and the shapes of their results. Shared by every requirement module.
import type { JournalEntry } from '../journal/journal-entry.js';
import type { CheckResult, ExportFacts, Requirement } from './requirement.js';

/** Declares a requirement, keeping its id as a literal type. */
export const defineRequirement = <const Id extends string>(requirement: Requirement<Id>): Requirement<Id> => requirement;

export const pass = (reason: string, entries: JournalEntry[] = []): CheckResult => ({ outcome: 'pass', reason, entries });
export const fail = (reason: string, entries: JournalEntry[] = []): CheckResult => ({ outcome: 'fail', reason, entries });
export const notExercised = (reason: string): CheckResult => ({ outcome: 'not-exercised', reason, entries: [] });

/** Evidence is kept short: the first few entries that show it. */
export const few = (entries: JournalEntry[], n = 5): JournalEntry[] => entries.slice(0, n);

export const atMs = (e: JournalEntry): number => Date.parse(e.at);

export const isTokenRequest = (e: JournalEntry): boolean => e.method === 'POST' && e.path.endsWith('/oauth/token');
export const isKickoff = (e: JournalEntry): boolean => (e.method === 'GET' || e.method === 'POST') && /\/(\$|%24)export$/i.test(e.path);
export const isPoll = (e: JournalEntry): boolean => e.method === 'GET' && /\/(\$|%24)export-poll-status$/i.test(e.path);
export const isDownload = (e: JournalEntry): boolean => e.method === 'GET' && e.fileId !== null;
/** A download of the whole file: 200, and the body sent to its end. */
export const isWholeDownload = (e: JournalEntry): boolean => isDownload(e) && e.status === 200 && e.complete;

/** The entries after `entry` (in journal order). */
export const after = (entries: JournalEntry[], entry: JournalEntry): JournalEntry[] => entries.slice(entries.indexOf(entry) + 1);

/** Seconds between two entries' arrivals, for reasons. */
export const secondsBetween = (from: JournalEntry, to: JournalEntry): string => ((atMs(to) - atMs(from)) / 1000).toFixed(1);

/**
 * The exports whose manifest the client was given (a poll of the job answered 200): only their
 * files are the client's to download. A job that finished after the client gave up on it is not.
 */
export const manifestsServed = (entries: JournalEntry[], exports: ExportFacts[]): ExportFacts[] =>
  exports.filter((x) => entries.some((e) => isPoll(e) && e.jobId === x.jobId && e.status === 200));

/** A download through a signed URL (`.../file/<id>/signed`), which needs no token. */
export const isSignedDownload = (e: JournalEntry): boolean => isDownload(e) && e.path.endsWith('/signed');

/** The jobs of the run under `scenario`. */
export const jobsUnder = (exports: ExportFacts[], scenario: ExportFacts['scenarios'][number]): Set<string> =>
  new Set(exports.filter((x) => x.scenarios.includes(scenario)).map((x) => x.jobId));
