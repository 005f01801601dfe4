// Step 4: the manifest as a table of files. Each file's link is the manifest `url` joined to
// {origin}{BASE} (file-url.ts); following it needs the bearer token, so a plain click opens the
// preview and Download fetches the file with the token.
import type { ApiClient } from './api-client.js';
import { CommandBlock } from './command-block.js';
import { curlCommand } from './curl.js';
import { byId, fill, h } from './element.js';
import { formatCount, plural } from './format.js';
import type { ManifestEntry } from '../../src/export/manifest-shape.js';
import type { CompletedJob } from './job-monitor.js';
import { jsonView } from './json-view.js';

export interface FileChoice {
  entry: ManifestEntry;
  /** Absolute download URL. */
  url: string;
  /** 1-based position among the files of the same type, for names like Observation-2.ndjson. */
  part: number;
  parts: number;
}

function choices(client: ApiClient, entries: readonly ManifestEntry[]): FileChoice[] {
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(e.type, (totals.get(e.type) ?? 0) + 1);
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const part = (seen.get(entry.type) ?? 0) + 1;
    seen.set(entry.type, part);
    return { entry, url: client.fileUrl(entry.url), part, parts: totals.get(entry.type) ?? 1 };
  });
}

const fileName = (c: FileChoice) => `${c.entry.type}-${c.part}.ndjson`;

async function download(client: ApiClient, choice: FileChoice, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const response = await client.download(choice.url);
    if (!response.ok) throw new Error(`${response.status}`);
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: fileName(choice) });
    link.click();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (err) {
    button.textContent = `Failed (${(err as Error).message})`;
  } finally {
    button.disabled = false;
  }
}

export function renderManifest(
  client: ApiClient,
  job: CompletedJob | null,
  onPreview: (choice: FileChoice) => void,
): void {
  const view = byId('manifest-view');
  if (!job) {
    fill(view, h('p', { class: 'empty' }, 'The manifest appears here when the job is done.'));
    return;
  }
  const { manifest, expires } = job;
  const outputs = choices(client, manifest.output);
  const errors = choices(client, manifest.error);
  const resources = manifest.output.reduce((sum, e) => sum + e.count, 0);
  const types = new Set(manifest.output.map((e) => e.type)).size;

  const table = (id: string, caption: string, rows: FileChoice[]) =>
    h(
      'div',
      // Focusable so keyboard users can scroll it on a narrow screen (WCAG 2.1.1).
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption },
      h(
        'table',
        { class: 'data files', id },
        h('caption', {}, caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'num' }, '#'),
            h('th', { scope: 'col' }, 'Type'),
            h('th', { scope: 'col', class: 'num' }, 'Count'),
            h('th', { scope: 'col' }, 'File (', h('code', {}, 'url'), ')'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((choice, i) => {
            const label = `${choice.entry.type} file ${choice.part} of ${choice.parts}`;
            const link = h('a', { href: choice.url, class: 'file-link', title: choice.url }, choice.entry.url);
            link.addEventListener('click', (event) => {
              if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              onPreview(choice);
            });
            const preview = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Preview ${label}` }, 'Preview');
            preview.addEventListener('click', () => onPreview(choice));
            const save = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Download ${label}` }, 'Download');
            save.addEventListener('click', () => void download(client, choice, save));
            return h(
              'tr',
              {},
              h('td', { class: 'num muted' }, i + 1),
              h('td', { class: 'type' }, choice.entry.type),
              h('td', { class: 'num count' }, formatCount(choice.entry.count)),
              h('td', { class: 'file' }, link),
              h('td', { class: 'actions' }, preview, save),
            );
          }),
        ),
      ),
    );

  const summary = (label: string, value: Node | string) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  const first = outputs[0];
  const command = new CommandBlock('Download the first file');
  if (first) {
    command.set(
      curlCommand({ url: first.url, compressed: true, bearer: manifest.requiresAccessToken && client.authEnabled }) +
        ` \\\n  -o ${fileName(first)}`,
    );
  }

  fill(
    view,
    h(
      'dl',
      { class: 'summary' },
      summary('Files', `${plural(manifest.output.length, 'file')} · ${plural(resources, 'resource')} · ${plural(types, 'type')}`),
      summary('transactionTime', h('code', {}, manifest.transactionTime)),
      summary('Expires', expires ? h('code', {}, expires) : '—'),
      summary('requiresAccessToken', h('code', {}, String(manifest.requiresAccessToken))),
      summary('request', h('code', { class: 'wrap-anywhere' }, manifest.request)),
    ),
    outputs.length > 0
      ? table('manifest-output', 'Output files', outputs)
      : h('p', { class: 'empty' }, 'No output files: the chosen types have no resources.'),
    errors.length > 0
      ? table('manifest-errors', 'Error files (OperationOutcome resources about what went wrong)', errors)
      : h('p', { class: 'muted small-text' }, 'No error files: the ', h('code', {}, 'error'), ' array is empty.'),
    h('details', { class: 'raw' }, h('summary', {}, 'The manifest as JSON'), jsonView(manifest, 'The manifest as JSON')),
    h('div', { class: 'commands' }, command.element),
  );
}
