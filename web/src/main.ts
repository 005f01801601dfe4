// The demo page: the export flow of the public API, step by step, with the real answers and
// the equivalent curl commands. Each step lives in its own module; this file wires them.
import { ApiClient, problemText } from './api-client.js';
import { renderDataset } from './dataset-view.js';
import { byId, fill, h } from './element.js';
import { setupExportStep, type ExportRequest } from './export-step.js';
import { FilePreview } from './file-preview.js';
import { statusBadge } from './format.js';
import { JobMonitor } from './job-monitor.js';
import { JournalPanel } from './journal-panel.js';
import { renderManifest, type FileChoice } from './manifest-view.js';
import { readPageConfig } from './page-config.js';
import { setupSignIn } from './sign-in-step.js';

function start(): void {
  const config = readPageConfig(document);
  const client = new ApiClient(window.location.origin, config);

  document.querySelectorAll('.base-path').forEach((el) => (el.textContent = config.basePath));
  document.querySelectorAll('.origin').forEach((el) => (el.textContent = window.location.origin));
  if (config.profile === 'standard') {
    byId('manifest-intro-verto').hidden = true;
    byId('manifest-intro-standard').hidden = false;
  }
  if (config.docsPath) {
    byId<HTMLAnchorElement>('docs-link').href = config.docsPath;
    byId('docs-item').hidden = false;
  }

  renderDataset(config);
  const monitor = new JobMonitor(client);
  const preview = new FilePreview(client);
  const journal = new JournalPanel(client);
  // A preview downloads a file: the journal then has one more request to show.
  const showPreview = (choice: FileChoice, focus = false) => void preview.show(choice, focus).then(() => journal.refresh());
  const kickoffResult = byId('kickoff-result');
  let runs = 0;

  const runExport = async (request: ExportRequest): Promise<void> => {
    const run = ++runs;
    monitor.reset();
    preview.clear();
    journal.reset();
    renderManifest(client, null, () => undefined);
    fill(kickoffResult, h('span', { class: 'muted' }, 'Sending the kick-off…'));
    const startedAt = performance.now();
    let exchange;
    try {
      exchange = await client.kickOff(request.types, request.scenario);
    } catch (err) {
      fill(kickoffResult, h('span', { class: 'problem' }, `The server did not answer: ${(err as Error).message}`));
      monitor.reset();
      journal.noJob();
      return;
    }
    if (run !== runs) return;
    const pollUrl = exchange.headers.get('content-location');
    if (exchange.status !== 202 || !pollUrl) {
      const retry = exchange.headers.get('retry-after');
      fill(
        kickoffResult,
        statusBadge(exchange.status),
        ' ',
        h('span', { class: 'problem' }, problemText(exchange)),
        retry ? h('span', { class: 'muted' }, ` Retry-After: ${retry} s.`) : null,
      );
      monitor.reset();
      byId('job-status').textContent = 'No export running.';
      journal.noJob();
      return;
    }
    fill(
      kickoffResult,
      h(
        'dl',
        { class: 'summary' },
        h('div', {}, h('dt', {}, 'Status'), h('dd', {}, statusBadge(exchange.status))),
        h('div', {}, h('dt', {}, 'Content-Location'), h('dd', {}, h('code', { id: 'content-location', class: 'wrap-anywhere' }, pollUrl))),
        h('div', {}, h('dt', {}, 'Body'), h('dd', { class: 'muted' }, problemText(exchange))),
      ),
    );
    const jobId = new URL(pollUrl, window.location.href).searchParams.get('_jobId');
    if (jobId) journal.watch(jobId);
    const job = await monitor.follow(pollUrl, startedAt);
    if (run !== runs) return;
    void journal.settle();
    if (!job) return;
    renderManifest(client, job, (choice) => showPreview(choice, true));
    const first = job.manifest.output[0];
    if (first) {
      showPreview({ entry: first, url: client.fileUrl(first.url), part: 1, parts: job.manifest.output.filter((e) => e.type === first.type).length });
    }
  };

  const exportStep = setupExportStep(client, (request) => void runExport(request));
  setupSignIn(client, () => exportStep.refresh());
}

try {
  start();
} catch (err) {
  const box = byId('page-error');
  box.textContent = (err as Error).message;
  box.hidden = false;
}
