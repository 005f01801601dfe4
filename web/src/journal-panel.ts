// Step 6: what the server saw of the export. Reads the mock's request journal for the job
// (GET /_mock/requests?jobId=) while the export runs, and the export's report
// (GET /_mock/exports/<jobId>/report) once it ends (docs/grading.md). Both are admin API
// reads: where that API is closed to the page (ADMIN_TOKEN set, or the Docker image listening
// beyond loopback) the panel says so in one line and shows nothing else.
import { problemText, statusLine, type ApiClient, type Exchange } from './api-client.js';
import { byId, fill, h } from './element.js';
import { plural } from './format.js';
import type { JournalEntry } from './journal-shapes.js';
import { reportView } from './report-view.js';
import type { ExportReport } from './report.js';
import { timelineTable } from './timeline-view.js';
import { layoutTimeline } from './timeline.js';

/** How often the journal is read while the export runs. */
const POLL_MS = 1000;
const IDLE_TEXT = 'The journal of the export appears here once it starts.';

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

export class JournalPanel {
  private readonly intro = byId('journal-intro');
  private readonly status = byId('journal-status');
  private readonly body = byId('journal-body');
  private readonly timeline = byId('journal-timeline');
  private readonly report = byId('journal-report');
  private jobId: string | null = null;
  /** Bumped by every new export and when one ends: an older poll loop then stops. */
  private generation = 0;
  private reads = 0;
  private reports = 0;
  /** The entries shown, as read: an unchanged journal leaves the table (its scroll, its focus) alone. */
  private shown = '';
  private closed = false;

  constructor(private readonly client: ApiClient) {
    byId('journal-refresh').addEventListener('click', () => void this.refresh());
  }

  /** Forgets the previous export before a new kick-off. */
  reset(): void {
    this.generation++;
    this.jobId = null;
    if (this.closed) return;
    this.body.hidden = true;
    this.timeline.replaceChildren();
    this.report.replaceChildren();
    this.shown = '';
    this.setStatus(IDLE_TEXT);
  }

  /** The kick-off was refused: no job, so no journal of an export to show. */
  noJob(): void {
    if (!this.closed) this.setStatus('The kick-off started no job: there is no export to follow.');
  }

  /** The export `jobId` started: reads its journal every second until `settle`. */
  watch(jobId: string): void {
    if (this.closed) return;
    this.jobId = jobId;
    const generation = ++this.generation;
    this.setStatus('Reading the journal…');
    void (async () => {
      while (generation === this.generation && !this.closed) {
        await this.readJournal();
        await sleep(POLL_MS);
      }
    })();
  }

  /** The export ended (manifest, failure or cancel): stops polling, reads the journal and the report. */
  async settle(): Promise<void> {
    this.generation++;
    await this.refresh();
  }

  /** Reads the journal and the report again (after the page downloaded a file, or on request). */
  async refresh(): Promise<void> {
    const firstAt = await this.readJournal();
    if (firstAt !== undefined) await this.readReport(firstAt);
  }

  /** Shows the journal; gives the first request's instant, or undefined when there is nothing to show. */
  private async readJournal(): Promise<string | null | undefined> {
    const jobId = this.jobId;
    if (jobId === null || this.closed) return undefined;
    const read = ++this.reads;
    const exchange = await this.get(`/requests?jobId=${encodeURIComponent(jobId)}`);
    if (read !== this.reads || jobId !== this.jobId || exchange === null) return undefined;
    if (exchange.status !== 200) {
      this.refused(exchange);
      return undefined;
    }
    const entries = (exchange.body as { requests: JournalEntry[] }).requests;
    const laidOut = layoutTimeline(entries);
    const text = JSON.stringify(entries);
    if (text !== this.shown) {
      this.shown = text;
      fill(this.timeline, timelineTable(laidOut));
    }
    this.body.hidden = false;
    this.setStatus(`${plural(entries.length, 'request')} of job ${jobId} in the journal.`);
    return laidOut.firstAt;
  }

  private async readReport(firstAt: string | null): Promise<void> {
    const jobId = this.jobId;
    if (jobId === null) return;
    const read = ++this.reports;
    const exchange = await this.get(`/exports/${encodeURIComponent(jobId)}/report`);
    if (read !== this.reports || jobId !== this.jobId || exchange === null) return;
    if (exchange.status === 200) {
      fill(this.report, reportView(exchange.body as ExportReport, firstAt));
    } else {
      fill(this.report, h('p', { class: 'problem' }, `No report: ${statusLine(exchange.status)}. ${problemText(exchange)}`));
    }
  }

  private async get(path: string): Promise<Exchange | null> {
    try {
      return await this.client.admin(path);
    } catch (err) {
      this.setStatus(`The server did not answer: ${(err as Error).message}`, true);
      return null;
    }
  }

  /** A closed admin API hides the panel behind one line; any other refusal is shown, and ends this export's reads. */
  private refused(exchange: Exchange): void {
    if (exchange.status === 401 || exchange.status === 403) {
      this.closed = true;
      this.generation++;
      this.intro.hidden = true;
      this.body.hidden = true;
      this.timeline.replaceChildren();
      this.report.replaceChildren();
      this.setStatus(
        `The admin API is closed to this page (${statusLine(exchange.status)}), so the journal and the report are not shown.`,
      );
      return;
    }
    this.generation++;
    this.setStatus(`The journal is not available: ${statusLine(exchange.status)}. ${problemText(exchange)}`, true);
  }

  private setStatus(text: string, problem = false): void {
    this.status.classList.toggle('problem', problem);
    // A live region: announce only what changed.
    if (this.status.textContent !== text) this.status.textContent = text;
  }
}
