// Step 3: polls the job's Content-Location as the API asks (waiting Retry-After between
// polls) and logs every answer, so the 202s, X-Progress and Retry-After are there to see.
import { problemText, statusLine, type ApiClient, type Exchange } from './api-client.js';
import { CommandBlock } from './command-block.js';
import type { Manifest } from '../../src/export/manifest-shape.js';
import { curlCommand } from './curl.js';
import { byId, h } from './element.js';
import { formatSeconds, statusBadge } from './format.js';
import { progressPercent, retryAfterSeconds } from './progress.js';

export interface CompletedJob {
  manifest: Manifest;
  expires: string | null;
}

/** A server that asks for no particular wait still gets a short pause between polls. */
const DEFAULT_WAIT_S = 1;
/** Transient errors (429, 503, `transient` outcomes) are retried this many times in a row. */
const TRANSIENT_RETRIES = 5;

class Stopped extends Error {}

function wait(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stopped());
    const onAbort = () => {
      window.clearTimeout(timer);
      reject(new Stopped());
    };
    // A slow job is polled many times on one signal: each wait removes its listener.
    const timer = window.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, seconds * 1000);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const isTransient = (exchange: Exchange): boolean => {
  if (exchange.status === 429 || exchange.status === 503) return true;
  const body = exchange.body as { resourceType?: string; issue?: { code?: string }[] } | null;
  return exchange.status >= 500 && body?.resourceType === 'OperationOutcome' && body.issue?.some((i) => i.code === 'transient') === true;
};

export class JobMonitor {
  private readonly bar = byId<HTMLProgressElement>('job-progress');
  private readonly status = byId('job-status');
  private readonly logWrap = byId('poll-log-wrap');
  private readonly log = byId('poll-log').querySelector('tbody')!;
  private readonly cancelButton = byId<HTMLButtonElement>('cancel-export');
  private readonly pollCommand = new CommandBlock('Poll the job');
  private readonly cancelCommand = new CommandBlock('Cancel the job');
  private controller: AbortController | null = null;
  private pollUrl: string | null = null;

  constructor(private readonly client: ApiClient) {
    byId('progress-commands').append(this.pollCommand.element, this.cancelCommand.element);
    this.cancelButton.addEventListener('click', () => void this.cancel());
    this.bar.value = 0;
  }

  /** Forgets the previous job (stopping its polling) before a new kick-off. */
  reset(): void {
    this.controller?.abort();
    this.controller = null;
    this.pollUrl = null;
    this.log.replaceChildren();
    this.logWrap.hidden = true;
    this.bar.value = 0;
    this.cancelButton.hidden = true;
    this.pollCommand.set('');
    this.cancelCommand.set('');
    this.setStatus('Starting the export…');
  }

  /** Polls until the manifest arrives; null when the job failed, vanished or was cancelled. */
  async follow(pollUrl: string, kickedOffAt: number): Promise<CompletedJob | null> {
    const controller = new AbortController();
    this.controller = controller;
    this.pollUrl = pollUrl;
    const bearer = this.client.authEnabled;
    this.pollCommand.set(curlCommand({ url: pollUrl, showHeaders: true, bearer }));
    this.cancelCommand.set(curlCommand({ method: 'DELETE', url: pollUrl, showHeaders: true, bearer }));
    this.cancelButton.hidden = false;
    this.bar.removeAttribute('value');
    let transientInARow = 0;
    try {
      for (let n = 1; ; n++) {
        const exchange = await this.client.poll(pollUrl);
        if (controller.signal.aborted) return null;
        this.logPoll(n, performance.now() - kickedOffAt, exchange);
        const after = retryAfterSeconds(exchange.headers.get('retry-after'), Date.now());
        if (exchange.status === 202) {
          transientInARow = 0;
          const progress = exchange.headers.get('x-progress');
          const percent = progressPercent(progress);
          if (percent === null) this.bar.removeAttribute('value');
          else this.bar.value = percent;
          const seconds = after ?? DEFAULT_WAIT_S;
          this.setStatus(`Running: ${progress ?? 'no X-Progress given'}. Next poll in ${seconds} s.`);
          await wait(seconds, controller.signal);
          continue;
        }
        if (exchange.status === 200) {
          this.bar.value = 100;
          this.setStatus(`Done after ${n} ${n === 1 ? 'poll' : 'polls'}: ${statusLine(200)} with the manifest.`);
          this.cancelButton.hidden = true;
          return { manifest: exchange.body as Manifest, expires: exchange.headers.get('expires') };
        }
        if (isTransient(exchange) && ++transientInARow <= TRANSIENT_RETRIES) {
          const seconds = after ?? DEFAULT_WAIT_S * 2;
          this.setStatus(`${statusLine(exchange.status)}: ${problemText(exchange)} Trying again in ${seconds} s.`);
          await wait(seconds, controller.signal);
          continue;
        }
        this.stopWith(`${statusLine(exchange.status)}: ${problemText(exchange)}`);
        return null;
      }
    } catch (err) {
      if (err instanceof Stopped) return null;
      this.stopWith(`The server did not answer: ${(err as Error).message}`);
      return null;
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  private async cancel(): Promise<void> {
    const url = this.pollUrl;
    if (!url) return;
    this.controller?.abort();
    this.cancelButton.hidden = true;
    try {
      const exchange = await this.client.cancel(url);
      this.logRow('DELETE', exchange);
      this.stopWith(
        exchange.status === 202 ? 'Cancelled: the job and its files are deleted.' : `${statusLine(exchange.status)}: ${problemText(exchange)}`,
      );
    } catch (err) {
      this.stopWith(`The server did not answer: ${(err as Error).message}`);
    }
  }

  private stopWith(message: string): void {
    this.bar.value = 0;
    this.cancelButton.hidden = true;
    this.setStatus(message);
    this.status.classList.add('problem');
  }

  private setStatus(text: string): void {
    this.status.classList.remove('problem');
    this.status.textContent = text;
  }

  private logPoll(n: number, elapsedMs: number, exchange: Exchange): void {
    this.logRow(String(n), exchange, formatSeconds(elapsedMs));
  }

  private logRow(label: string, exchange: Exchange, after = ''): void {
    this.logWrap.hidden = false;
    const header = (name: string) => {
      const value = exchange.headers.get(name);
      return value === null ? h('span', { class: 'muted' }, '—') : h('code', {}, value);
    };
    const row = h(
      'tr',
      { 'data-status': exchange.status },
      h('td', { class: 'num' }, label),
      h('td', { class: 'num' }, after),
      h('td', {}, statusBadge(exchange.status)),
      h('td', { class: 'x-progress' }, header('x-progress')),
      h('td', { class: 'retry-after' }, header('retry-after')),
    );
    this.log.append(row);
    this.logWrap.scrollTop = this.logWrap.scrollHeight;
  }
}
