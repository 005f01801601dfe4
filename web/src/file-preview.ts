// Step 5: the first lines of a file, each resource pretty-printed.
import { problemText, type ApiClient } from './api-client.js';
import { CommandBlock } from './command-block.js';
import { curlCommand } from './curl.js';
import { byId, fill, h } from './element.js';
import { formatCount, statusBadge } from './format.js';
import { jsonView } from './json-view.js';
import type { FileChoice } from './manifest-view.js';
import { readFirstLines } from './ndjson-lines.js';
import { retryAfterSeconds } from './progress.js';

/** Tries of one download, the first included, before a transient failure is shown as final. */
const MAX_ATTEMPTS = 4;

async function problemOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: shown as text
  }
  return problemText({ method: 'GET', url: response.url, status: response.status, headers: response.headers, body });
}

export class FilePreview {
  private readonly view = byId('preview-view');
  private readonly lines = byId<HTMLSelectElement>('preview-lines');
  private readonly command = new CommandBlock('Read the first lines of the file');
  private current: FileChoice | null = null;
  private generation = 0;

  constructor(private readonly client: ApiClient) {
    byId('preview-commands').append(this.command.element);
    this.lines.addEventListener('change', () => {
      if (this.current) void this.show(this.current);
    });
  }

  clear(): void {
    this.current = null;
    this.generation++;
    this.command.set('');
    fill(this.view, h('p', { class: 'empty' }, 'Choose “Preview” on a file in the manifest.'));
  }

  /** Shows a file's first lines; `focus` moves the keyboard focus to them (when a person asked). */
  async show(choice: FileChoice, focus = false): Promise<void> {
    this.current = choice;
    const generation = ++this.generation;
    const limit = Number(this.lines.value);
    this.command.set(
      curlCommand({ url: choice.url, compressed: true, bearer: this.client.authEnabled, pipe: `head -n ${limit}` }),
    );
    fill(this.view, h('p', { class: 'muted' }, `Reading ${choice.entry.type} file ${choice.part}…`));
    const title = h(
      'h3',
      { class: 'preview-title', id: 'preview-file-title', tabindex: -1 },
      `${choice.entry.type} · file ${choice.part} of ${choice.parts}`,
    );
    try {
      // A transient failure (503 or 429 with Retry-After) is retried as a client should.
      const retried: HTMLElement[] = [];
      let response: Response;
      for (let attempt = 1; ; attempt++) {
        response = await this.client.download(choice.url);
        if (generation !== this.generation) return void response.body?.cancel();
        const wait = retryAfterSeconds(response.headers.get('retry-after'), Date.now());
        if ((response.status !== 503 && response.status !== 429) || wait === null || attempt === MAX_ATTEMPTS) break;
        retried.push(
          h('li', {}, statusBadge(response.status), ' ', await problemOf(response), ` Trying again after Retry-After: ${wait} s.`),
        );
        fill(this.view, title, h('ul', { class: 'attempts' }, retried));
        await new Promise((resolve) => window.setTimeout(resolve, wait * 1000));
        if (generation !== this.generation) return;
      }
      const meta = h(
        'div',
        { class: 'preview-meta' },
        retried.length > 0 ? h('ul', { class: 'attempts' }, retried) : null,
        h('p', {}, statusBadge(response.status), ' ', h('code', {}, response.headers.get('content-type') ?? 'no Content-Type')),
      );
      if (!response.ok || !response.body) {
        fill(this.view, title, meta, h('p', { class: 'problem' }, await problemOf(response)));
        return;
      }
      const { lines, more } = await readFirstLines(response.body, limit);
      if (generation !== this.generation) return;
      const resources = lines.map((line, i) => {
        let resource: { resourceType?: string; id?: string } | null = null;
        try {
          resource = JSON.parse(line) as { resourceType?: string; id?: string };
        } catch {
          // Shown as text below: a preview must show what the file holds, valid or not.
        }
        const heading = resource ? `${resource.resourceType ?? '?'}/${resource.id ?? '?'}` : 'Not JSON';
        return h(
          'li',
          { class: 'resource' },
          h('h4', { class: 'resource-title' }, h('span', { class: 'line-no' }, `Line ${i + 1}`), ' ', h('code', {}, heading)),
          resource ? jsonView(resource, `Line ${i + 1}: ${heading}`) : h('pre', { class: 'json' }, line),
        );
      });
      fill(
        this.view,
        title,
        meta,
        h(
          'p',
          { class: 'muted' },
          more || lines.length < choice.entry.count
            ? `The first ${lines.length} of ${formatCount(choice.entry.count)} lines (one resource per line), pretty-printed.`
            : `All ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} of the file (one resource per line), pretty-printed.`,
        ),
        h('ol', { class: 'resources', 'aria-labelledby': 'preview-file-title' }, resources),
      );
      if (focus) title.focus();
    } catch (err) {
      if (generation === this.generation) {
        fill(this.view, title, h('p', { class: 'problem' }, `The server did not answer: ${(err as Error).message}`));
      }
    }
  }
}
