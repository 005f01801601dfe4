// "The data set at a glance": size, seed and resources per type as a bar chart. The chart is a
// table, so screen readers get the numbers; the bars are decoration.
import { byId, fill, h } from './element.js';
import { fileCount, formatCount, plural } from './format.js';
import type { PageConfig } from './page-config.js';

export function renderDataset(config: PageConfig): void {
  const { dataset } = config;
  const counts = dataset.counts;
  if (!counts) {
    fill(byId('dataset-intro'), 'The server is still creating its data set. Reload this page in a moment.');
    return;
  }
  const total = dataset.types.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
  const largest = Math.max(1, ...dataset.types.map((type) => counts[type] ?? 0));
  fill(
    byId('dataset-intro'),
    `A synthetic Canadian primary-care population, generated from a fixed seed: the same settings always give the same resources, byte for byte.`,
  );
  const stat = (label: string, value: string, id: string) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value));
  fill(
    byId('dataset-stats'),
    stat('Patients', formatCount(dataset.patients), 'stat-patients'),
    stat('Exportable resources', formatCount(total), 'stat-resources'),
    stat('Exportable types', formatCount(dataset.types.length), 'stat-types'),
    stat('Reference date', dataset.referenceDate, 'stat-reference-date'),
    stat('Seed', String(dataset.seed), 'stat-seed'),
  );
  const rows = dataset.types.map((type) => {
    const count = counts[type] ?? 0;
    const bar = h('span', { class: 'bar' });
    bar.style.setProperty('--share', String(count / largest));
    return h(
      'tr',
      { 'data-type': type },
      h('th', { scope: 'row' }, type),
      h('td', { class: 'bar-cell', 'data-count': count }, h('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar), h('span', { class: 'num' }, formatCount(count))),
      h('td', { class: 'num muted' }, plural(fileCount(count, dataset.fileMaxResources), 'file')),
    );
  });
  fill(
    byId('dataset-chart'),
    h(
      'table',
      { class: 'bar-chart', id: 'counts-table' },
      h('caption', {}, 'Resources per type, and the files a full export of each makes'),
      h(
        'thead',
        { class: 'visually-hidden' },
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Type'),
          h('th', { scope: 'col' }, 'Resources'),
          h('th', { scope: 'col' }, 'Files'),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}
