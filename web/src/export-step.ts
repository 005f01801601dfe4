// Step 2: choose the types (and, when the server offers them, a simulated fault) and kick off.
import type { ApiClient } from './api-client.js';
import { CommandBlock } from './command-block.js';
import { curlCommand } from './curl.js';
import { byId, fill, h } from './element.js';
import { fileCount, formatCount, plural } from './format.js';

export interface ExportRequest {
  types: string[];
  scenario: string | null;
}

export interface ExportStep {
  /** Re-checks what the Start button needs (a token when auth is on). */
  refresh(): void;
}

export function setupExportStep(client: ApiClient, onStart: (request: ExportRequest) => void): ExportStep {
  const { dataset } = client.config;
  const form = byId<HTMLFormElement>('export-form');
  const options = byId('type-options');
  const hint = byId('export-hint');
  const scenarioField = byId('scenario-field');
  const scenarioSelect = byId<HTMLSelectElement>('scenario');
  const scenarioHelp = byId('scenario-help');
  const { scenarios } = client.config;

  fill(byId('file-max'), formatCount(dataset.fileMaxResources));
  const boxes = dataset.types.map((type) => {
    const count = dataset.counts?.[type];
    const box = h('input', { type: 'checkbox', name: '_type', value: type, id: `type-${type}`, checked: true });
    const meta =
      count === undefined
        ? ''
        : `${plural(count, 'resource')} · ${plural(fileCount(count, dataset.fileMaxResources), 'file')}`;
    options.append(
      h(
        'div',
        { class: 'type-option' },
        box,
        h('label', { for: box.id }, h('span', { class: 'type-name' }, type), h('span', { class: 'type-meta' }, meta)),
      ),
    );
    return box;
  });

  const command = new CommandBlock('Kick off the export');
  byId('export-commands').append(command.element);

  const selected = () => boxes.filter((b) => b.checked).map((b) => b.value);
  const scenario = () => (scenarioField.hidden || scenarioSelect.value === '' ? null : scenarioSelect.value);
  const showCommand = () => {
    const types = selected();
    command.set(
      types.length === 0
        ? ''
        : curlCommand({
            url: client.kickOffUrl(types),
            showHeaders: true,
            bearer: client.authEnabled,
            headers: client.kickOffHeaders(scenario()),
          }),
    );
  };
  const showScenarioHelp = () => {
    const chosen = scenarios.find((s) => s.name === scenarioSelect.value);
    if (!chosen) fill(scenarioHelp, 'A normal export, without a simulated fault.');
    else if (!chosen.clientShould) fill(scenarioHelp, chosen.description);
    else fill(scenarioHelp, chosen.description, ' ', h('strong', {}, 'A client should:'), ' ', chosen.clientShould);
  };

  const refresh = () => {
    if (client.authEnabled && !client.token) hint.textContent = 'Sign in first (step 1).';
    else if (selected().length === 0) hint.textContent = 'Choose at least one type.';
    else hint.textContent = '';
  };

  options.addEventListener('change', () => {
    showCommand();
    refresh();
  });
  byId('select-all').addEventListener('click', () => {
    boxes.forEach((b) => (b.checked = true));
    showCommand();
    refresh();
  });
  byId('select-none').addEventListener('click', () => {
    boxes.forEach((b) => (b.checked = false));
    showCommand();
    refresh();
  });
  scenarioSelect.addEventListener('change', () => {
    showScenarioHelp();
    showCommand();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
    if (hint.textContent) {
      hint.classList.add('attention');
      return;
    }
    hint.classList.remove('attention');
    onStart({ types: selected(), scenario: scenario() });
  });

  // The server writes its scenarios into the page: the header needs no admin access.
  if (scenarios.length > 0) {
    fill(
      scenarioSelect,
      h('option', { value: '' }, 'None: a normal export'),
      scenarios.map((s) => h('option', { value: s.name }, s.name)),
    );
    scenarioField.hidden = false;
    showScenarioHelp();
  }

  showCommand();
  refresh();
  return { refresh };
}
