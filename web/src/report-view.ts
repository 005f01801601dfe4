// Step 6: the export's report. One item per requirement that applies to the export's scenarios:
// outcome, the requirement's id and sentence, where it comes from, and why (with the requests
// that show it). Failures come first.
import { h } from './element.js';
import { evidenceLines, orderedResults, OUTCOME_LABELS, scenariosLine, summaryLine, type ExportReport } from './report.js';

export function reportView(report: ExportReport, firstAt: string | null): HTMLElement {
  const results = orderedResults(report.results);
  return h(
    'div',
    { class: 'report' },
    h('h3', { class: 'report-title' }, 'The export’s report'),
    h(
      'p',
      { class: 'report-summary', id: 'report-summary' },
      summaryLine(report.summary),
      h('span', { class: 'muted' }, ` · scenarios: ${scenariosLine(report.scenarios)} · profile ${report.profile}`),
    ),
    results.length === 0
      ? h('p', { class: 'empty' }, 'No requirement applies to this export.')
      : h(
          'ul',
          { class: 'requirements', id: 'report-results' },
          results.map((result) => {
            const evidence = evidenceLines(result, firstAt);
            return h(
              'li',
              { class: `requirement outcome-${result.outcome}`, 'data-requirement': result.requirement, 'data-outcome': result.outcome },
              h(
                'p',
                { class: 'requirement-head' },
                h('span', { class: `badge outcome-badge outcome-${result.outcome}` }, OUTCOME_LABELS[result.outcome]),
                ' ',
                h('code', { class: 'requirement-id' }, result.requirement),
              ),
              h('p', { class: 'requirement-sentence' }, result.sentence),
              h('p', { class: 'requirement-reason' }, result.evidence.reason),
              evidence.length > 0
                ? h('ul', { class: 'evidence', 'aria-label': `Requests that show it (${result.requirement})` }, evidence.map((line) => h('li', {}, h('code', {}, line))))
                : null,
              h('p', { class: 'requirement-source muted small-text' }, 'Source: ', result.source),
            );
          }),
        ),
  );
}
