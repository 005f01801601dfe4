// Step 6: the timeline table. Each row is one request of the export: its offset from the first,
// a bar drawn at that offset (SVG attributes, not inline styles: the page's CSP allows none),
// method, status, bytes, whether the body was sent to its end, the scenario, and the path.
import { h } from './element.js';
import { formatBytes, formatOffset, type Timeline, type TimelineRow } from './timeline.js';

const SVG = 'http://www.w3.org/2000/svg';
/** The bar's drawing width in SVG units; the CSS stretches it to the column. */
const LANE = 1000;

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  return el;
}

function lane(row: TimelineRow): SVGElement {
  // Decoration only: the offset and the duration are in the row's text.
  const drawing = svg('svg', { class: 'lane', viewBox: `0 0 ${LANE} 10`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  drawing.append(
    svg('rect', { class: 'lane-track', x: 0, y: 4, width: LANE, height: 2 }),
    svg('rect', {
      class: `lane-bar bar-${row.statusClass}`,
      x: (row.start * LANE).toFixed(1),
      y: 0,
      width: (row.width * LANE).toFixed(1),
      height: 10,
    }),
  );
  return drawing;
}

function statusCell(row: TimelineRow): HTMLElement {
  return h('span', { class: `badge status-${row.statusClass}` }, String(row.entry.status));
}

export function timelineTable(timeline: Timeline): HTMLElement {
  if (timeline.rows.length === 0) return h('p', { class: 'empty' }, 'The journal has no request of this export yet.');
  const caption = `Every request of the export as the server answered it, over ${formatOffset(timeline.spanMs).slice(1)}`;
  return h(
    'div',
    // Focusable so keyboard users can scroll it on a narrow screen (WCAG 2.1.1).
    { class: 'table-scroll journal-scroll', tabindex: 0, role: 'region', 'aria-label': 'Requests of the export' },
    h(
      'table',
      { class: 'data journal', id: 'journal-timeline-table' },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'num' }, 'At'),
          h('th', { scope: 'col', class: 'lane-col' }, h('span', { class: 'visually-hidden' }, 'Timeline')),
          h('th', { scope: 'col' }, 'Method'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col', class: 'num' }, 'Bytes'),
          h('th', { scope: 'col' }, 'Body'),
          h('th', { scope: 'col' }, 'Scenario'),
          h('th', { scope: 'col' }, 'Path'),
        ),
      ),
      h(
        'tbody',
        {},
        timeline.rows.map((row) =>
          h(
            'tr',
            { class: `status-${row.statusClass}`, 'data-status': row.entry.status },
            h('td', { class: 'num offset' }, formatOffset(row.offsetMs)),
            h('td', { class: 'lane-col' }, lane(row)),
            h('td', { class: 'method' }, row.entry.method),
            h('td', { class: 'status' }, statusCell(row)),
            h('td', { class: 'num bytes' }, formatBytes(row.entry.bytes)),
            h('td', { class: `body body-${row.body}` }, row.body),
            h('td', { class: 'scenario' }, row.entry.scenario ? h('code', {}, row.scenario) : h('span', { class: 'muted' }, row.scenario)),
            // Last: a path with a job id is long, and a narrow screen scrolls it into view.
            h('td', { class: 'target' }, h('code', {}, row.target)),
          ),
        ),
      ),
    ),
  );
}
