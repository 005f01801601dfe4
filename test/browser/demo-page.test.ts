// The demo page in a real browser: an export run through the page must show what the API says
// (counts, the 202s with their headers, the manifest's files, the files' first lines).
// Run with `npm run test:browser` (builds the page first); needs /usr/bin/chromium.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import type { JournalEntry } from '../../src/journal/journal-entry.js';
import { SCENARIO_NAMES, SCENARIOS } from '../../src/scenarios/catalog.js';
import { evidenceLines, orderedResults, OUTCOME_LABELS, summaryLine, type ExportReport } from '../../web/src/report.js';
import { formatBytes, formatOffset, layoutTimeline } from '../../web/src/timeline.js';
import { bearer, getToken, parseNdjson, pathOf, type Manifest } from '../helper.js';
import { launchChromium, type Browser } from './chromium.js';
import { serveApp, type ServedApp } from './serve.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = join(PROJECT, '.tmp', 'demo-page.png');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser | undefined;
let served: ServedApp | undefined;

// A browser per test, closed before its server: no connection of one test's page outlives it.
beforeEach(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await served?.app.close();
  served = undefined;
});

/** A page that records what would show up as a bug: uncaught errors, CSP refusals, failed scripts. */
async function openPage(origin: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A 4xx the page asked for on purpose (a missing admin API, a wrong password) is logged by
    // the browser as "Failed to load resource"; everything else at error level is a problem.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
  });
  const response = await page.goto(`${origin}/`);
  expect(response?.status()).toBe(200);
  return { page, problems };
}

/** Signs in, picks exactly these types and this simulated fault (if any), and starts the export. */
async function startExport(page: Page, types: readonly string[], scenario?: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#access-token').waitFor();
  await page.getByRole('button', { name: 'Clear' }).click();
  for (const type of types) await page.locator(`#type-${type}`).check();
  if (scenario) await page.getByLabel('Simulated fault (X-Mock-Scenario header)').selectOption(scenario);
  await page.getByRole('button', { name: 'Start export' }).click();
}

const rowsOf = (page: Page, tableId: string) =>
  page.locator(`#${tableId} tbody tr`).evaluateAll((rows) =>
    rows.map((row) => {
      const cell = (selector: string) => row.querySelector(selector)?.textContent ?? '';
      return {
        type: cell('td.type'),
        count: cell('td.count'),
        url: cell('td.file a'),
        href: row.querySelector('td.file a')?.getAttribute('href') ?? '',
      };
    }),
  );

/** The rows the manifest table should show for `entries`, each link going to `href(url)`. */
const expectedRows = (entries: Manifest['output'], href: (url: string) => string) =>
  entries.map((e) => ({ type: e.type, count: e.count.toLocaleString('en-US'), url: e.url, href: href(e.url) }));

async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/** The journal and the report of an export as the admin API gives them to the page. */
interface JournalSource {
  list(jobId: string): Promise<JournalEntry[]>;
  report(jobId: string): Promise<ExportReport>;
}

/** The server's journal and report of an export, as the admin API answers them. */
function journalSource({ app }: ServedApp): JournalSource {
  return {
    list: async (jobId) => (await app.inject({ url: `/_mock/requests?jobId=${jobId}` })).json<{ requests: JournalEntry[] }>().requests,
    report: async (jobId) => (await app.inject({ url: `/_mock/exports/${jobId}/report` })).json<ExportReport>(),
  };
}

const timelineRows = (page: Page) =>
  page.locator('#journal-timeline-table tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const cell = (name: string) => row.querySelector(`td.${name}`)?.textContent ?? '';
      const bar = row.querySelector('svg.lane rect.lane-bar')?.getAttribute('class') ?? '';
      return { offset: cell('offset'), method: cell('method'), target: cell('target'), status: cell('status'), bytes: cell('bytes'), body: cell('body'), scenario: cell('scenario'), row: row.className, bar };
    }),
  );

/** The rows the timeline should show for `entries`. */
const expectedTimeline = (entries: JournalEntry[]) =>
  layoutTimeline(entries).rows.map((r) => ({
    offset: formatOffset(r.offsetMs),
    method: r.entry.method,
    target: r.target,
    status: String(r.entry.status),
    bytes: formatBytes(r.entry.bytes),
    body: r.body,
    scenario: r.scenario,
    row: `status-${r.statusClass}`,
    bar: `lane-bar bar-${r.statusClass}`,
  }));

const reportItems = (page: Page) =>
  page.locator('#report-results > li').evaluateAll((items) =>
    items.map((item) => ({
      requirement: item.getAttribute('data-requirement'),
      outcome: item.querySelector('.outcome-badge')?.textContent,
      sentence: item.querySelector('.requirement-sentence')?.textContent,
      reason: item.querySelector('.requirement-reason')?.textContent,
      evidence: [...item.querySelectorAll('ul.evidence li')].map((li) => li.textContent),
      source: item.querySelector('.requirement-source')?.textContent,
    })),
  );

/** The report's results as the panel should list them (failures first). */
const expectedReport = (report: ExportReport, entries: JournalEntry[]) =>
  orderedResults(report.results).map((r) => ({
    requirement: r.requirement,
    outcome: OUTCOME_LABELS[r.outcome],
    sentence: r.sentence,
    reason: r.evidence.reason,
    evidence: evidenceLines(r, layoutTimeline(entries).firstAt),
    source: `Source: ${r.source}`,
  }));

describe('demo page', () => {
  it('runs an export through the page and shows the manifest the API returns', async () => {
    served = await serveApp({ JOB_MIN_DURATION_MS: '1000' });
    const { app, origin, clock, config } = served;
    const { page, problems } = await openPage(origin);

    // The data set at a glance: the store's exact counts.
    const counts = app.store.repos().resources.countsByType();
    for (const type of EXPORTABLE_TYPES) {
      await expect
        .poll(() => page.locator(`#counts-table tr[data-type="${type}"] td[data-count]`).getAttribute('data-count'))
        .toBe(String(counts[type] ?? 0));
    }
    const total = EXPORTABLE_TYPES.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
    expect((await page.locator('#stat-resources').textContent())?.replace(/,/g, '')).toBe(String(total));
    expect(await page.locator('#stat-patients').textContent()).toBe(String(config.dataset.patients));

    // The scenario picker is there, with the server's scenarios.
    expect(await page.locator('#scenario-field').isVisible()).toBe(true);

    // 1. Sign in with the prefilled demo user.
    expect(await page.getByLabel('Username').inputValue()).toBe(config.auth.username);
    expect(await page.getByLabel('Password').inputValue()).toBe(config.auth.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const token = await page.locator('#access-token').textContent();
    expect(await page.locator('#token-result .badge').textContent()).toBe('200 OK');
    expect(token).toMatch(/\S{16,}/);

    // 2. Three types, one of which (Observation) fills several files.
    await page.getByRole('button', { name: 'Clear' }).click();
    const types = ['Patient', 'Encounter', 'Observation'];
    for (const type of types) await page.locator(`#type-${type}`).check();
    expect(await page.locator('#export-commands code').textContent()).toContain(
      `curl -s -i '${origin}${config.basePath}/fhir/$export?_type=${types.join(',')}'`,
    );
    await page.getByRole('button', { name: 'Start export' }).click();

    const pollUrl = (await page.locator('#content-location').textContent()) ?? '';
    expect(pollUrl).toMatch(new RegExp(`^${origin}${config.basePath}/fhir/\\$export-poll-status\\?_jobId=[0-9a-f-]{36}$`));
    const jobId = new URL(pollUrl).searchParams.get('_jobId')!;

    // 3. The job is done but the clock has not reached its minimum duration: the page keeps
    // getting 202s, and shows their headers as sent.
    await expect.poll(() => app.store.repos().jobs.get(jobId)?.status).toBe('completed');
    const lastPoll = page.locator('#poll-log tbody tr').last();
    await expect.poll(() => lastPoll.locator('td.x-progress').textContent()).toBe('in progress: 0% complete');
    expect(await lastPoll.getAttribute('data-status')).toBe('202');
    expect(await lastPoll.locator('td.retry-after').textContent()).toBe('1');
    clock.advance(1000);

    // 4. The manifest table is the API's manifest, each url joined to {origin}{BASE}.
    await page.locator('#manifest-output').waitFor();
    expect(await page.locator('#poll-log tbody tr').last().getAttribute('data-status')).toBe('200');
    const apiToken = await getToken(app);
    const answer = await app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(apiToken) });
    expect(answer.statusCode).toBe(200);
    const manifest = answer.json() as Manifest;
    expect(manifest.output.map((e) => e.type)).toEqual(expect.arrayContaining(types));
    expect(manifest.output.filter((e) => e.type === 'Observation').length).toBeGreaterThan(1);
    expect(await rowsOf(page, 'manifest-output')).toEqual(expectedRows(manifest.output, (url) => `${origin}${config.basePath}${url}`));
    expect(await page.locator('#manifest-errors').count()).toBe(0);

    // 5. The preview shows the first lines of the first file, as the download has them.
    const first = manifest.output[0]!;
    const download = await app.inject({ method: 'GET', url: `${config.basePath}${first.url}`, headers: bearer(apiToken) });
    const expected = parseNdjson(download.body)
      .slice(0, 3)
      .map((r) => `${String(r.resourceType)}/${String(r.id)}`);
    await expect.poll(() => page.locator('#preview-view .resource-title code').allTextContents()).toEqual(expected);

    // Previewing another file through its link in the table.
    const lastEntry = manifest.output.at(-1)!;
    const observationFiles = manifest.output.filter((e) => e.type === lastEntry.type).length;
    await page.locator('#manifest-output td.file a').last().click();
    await expect
      .poll(() => page.locator('#preview-file-title').textContent())
      .toBe(`${lastEntry.type} · file ${observationFiles} of ${observationFiles}`);
    await expect.poll(() => page.locator('#preview-view .resource').count()).toBe(Math.min(3, lastEntry.count));

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.locator('#preview-view .resource').nth(1).evaluate((el) => el.closest('ol')?.scrollIntoView());
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`demo page screenshot: ${SCREENSHOT}`);
    await page.close();
  });

  it('works without auth, under another base path and with absolute file urls (standard profile)', async () => {
    served = await serveApp({ AUTH: 'off', BASE_PATH: '/fhir-mock/r4', PROFILE: 'standard' });
    const { app, origin } = served;
    const { page, problems } = await openPage(origin);

    expect(await page.locator('#token-form').isHidden()).toBe(true);
    expect(await page.locator('#token-intro').textContent()).toContain('AUTH=off');
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.locator('#manifest-output').waitFor();

    const pollUrl = (await page.locator('#content-location').textContent()) ?? '';
    expect(pollUrl.startsWith(`${origin}/fhir-mock/r4/fhir/$export-poll-status?_jobId=`)).toBe(true);
    // The Host the browser sent, so the absolute urls are the ones the page got.
    const manifest = (
      await app.inject({ method: 'GET', url: pathOf(pollUrl), headers: { host: new URL(origin).host } })
    ).json() as Manifest;
    expect(new Set(manifest.output.map((e) => e.type))).toEqual(new Set(EXPORTABLE_TYPES));
    expect(manifest.output[0]!.url.startsWith(`${origin}/fhir-mock/r4/file/`)).toBe(true);
    expect(await rowsOf(page, 'manifest-output')).toEqual(expectedRows(manifest.output, (url) => url));
    expect(await page.locator('#manifest-intro-standard').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#preview-view .resource').count()).toBe(Math.min(3, manifest.output[0]!.count));
    const commands = await page.locator('.command code').allTextContents();
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((c) => c.includes('Authorization'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a wrong password with the OAuth error, and sends the chosen scenario header', async () => {
    // With ADMIN_TOKEN set, the admin API is closed to the page; the header still works.
    served = await serveApp({ ADMIN_TOKEN: 'a-secret-the-page-never-sees' });
    const { app, origin, config } = served;
    expect((await app.inject({ method: 'GET', url: '/_mock/scenarios' })).statusCode).toBe(401);
    const { page, problems } = await openPage(origin);

    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('#token-result').textContent())
      .toBe('400 Bad Request invalid_grant: The username or password is wrong.');
    await page.getByRole('button', { name: 'Start export' }).click();
    expect(await page.locator('#export-hint').textContent()).toBe('Sign in first (step 1).');
    expect(await page.locator('#kickoff-result').textContent()).toBe('');

    await page.getByLabel('Password').fill(config.auth.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#access-token').waitFor();

    // The picker lists the server's scenarios, with what a client should do.
    const picker = page.getByLabel('Simulated fault (X-Mock-Scenario header)');
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['None: a normal export', ...SCENARIO_NAMES]);
    await picker.selectOption('kickoff-throttled');
    const { description, clientShould } = SCENARIOS['kickoff-throttled'];
    expect(await page.locator('#scenario-help').textContent()).toBe(`${description} A client should: ${clientShould}`);
    expect(await page.locator('#export-commands code').textContent()).toContain("-H 'X-Mock-Scenario: kickoff-throttled'");

    const kickOff = page.waitForRequest((r) => new URL(r.url()).pathname === `${config.basePath}/fhir/$export`);
    await page.getByRole('button', { name: 'Start export' }).click();
    expect((await kickOff).headers()['x-mock-scenario']).toBe('kickoff-throttled');
    const same = await app.inject({
      method: 'GET',
      url: `${config.basePath}/fhir/$export`,
      headers: { ...bearer(await getToken(app)), 'x-mock-scenario': 'kickoff-throttled' },
    });
    expect(same.statusCode).toBe(429);
    const diagnostics = (same.json() as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics;
    await expect
      .poll(() => page.locator('#kickoff-result').textContent())
      .toBe(`429 Too Many Requests ${diagnostics} Retry-After: ${same.headers['retry-after']} s.`);
    expect(await page.locator('#job-status').textContent()).toBe('No export running.');
    expect(await page.locator('#journal-status').textContent()).toBe('The kick-off started no job: there is no export to follow.');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('retries a download that fails for a moment, as Retry-After says', async () => {
    served = await serveApp();
    const { page, problems } = await openPage(served.origin);
    await startExport(page, ['Patient'], 'download-error');

    await expect.poll(() => page.locator('#preview-view .resource').count()).toBe(3);
    const attempts = await page.locator('#preview-view ul.attempts li').allTextContents();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatch(/^503 Service Unavailable .+ Trying again after Retry-After: 1 s\.$/);
    expect(await page.locator('#preview-view .preview-meta p .badge').textContent()).toBe('200 OK');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the error files of a partial export', async () => {
    served = await serveApp();
    const { app, origin, config } = served;
    const { page, problems } = await openPage(origin);
    await startExport(page, ['Patient', 'Condition'], 'partial');
    await page.locator('#manifest-errors').waitFor();

    const pollUrl = (await page.locator('#content-location').textContent()) ?? '';
    const manifest = (
      await app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(await getToken(app)) })
    ).json() as Manifest;
    expect(manifest.error.length).toBeGreaterThan(0);
    const rows = (entries: Manifest['output']) => expectedRows(entries, (url) => `${origin}${config.basePath}${url}`);
    expect(await rowsOf(page, 'manifest-output')).toEqual(rows(manifest.output));
    expect(await rowsOf(page, 'manifest-errors')).toEqual(rows(manifest.error));
    expect(problems).toEqual([]);
    await page.close();
  });
  it('shows the export\'s requests as a timeline coloured by status, and its report', async () => {
    served = await serveApp();
    const { page, problems } = await openPage(served.origin);
    const journal = journalSource(served);
    expect(await page.locator('#journal-status').textContent()).toBe('The journal of the export appears here once it starts.');
    await startExport(page, ['Patient'], 'download-error');
    const pollUrl = (await page.locator('#content-location').textContent()) ?? '';
    const jobId = new URL(pollUrl).searchParams.get('_jobId')!;

    // The preview's download is refused once (503), then read: the export's last requests.
    await expect.poll(() => page.locator('#preview-view .resource').count()).toBe(3);
    // The journal holds the page's polls and both downloads of the job. (Whether it files the
    // kick-off under the job too is the journal's own business: the timeline shows what it says.)
    const polls = await page.locator('#poll-log tbody tr').count();
    const pollsAndDownloads = async () =>
      (await journal.list(jobId)).filter((e) => !e.path.endsWith('/$export')).map((e) => e.status);
    await expect.poll(pollsAndDownloads).toEqual([...Array<number>(polls - 1).fill(202), 200, 503, 200]);
    const entries = await journal.list(jobId);

    await page.getByRole('button', { name: 'Read the journal again' }).click();
    await expect.poll(() => timelineRows(page)).toEqual(expectedTimeline(entries));
    expect(await page.locator('#journal-status').textContent()).toBe(`${entries.length} requests of job ${jobId} in the journal.`);
    const refused = page.locator('#journal-timeline-table tbody tr[data-status="503"]');
    expect(await refused.getAttribute('class')).toBe('status-5xx');

    const report = await journal.report(jobId);
    await expect.poll(() => reportItems(page)).toEqual(expectedReport(report, entries));
    expect(await page.locator('#report-summary').textContent()).toContain(summaryLine(report.summary));

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says in one line that the admin API is closed to the page, and shows no journal', async () => {
    served = await serveApp({ ADMIN_TOKEN: 'a-secret-the-page-never-sees' });
    const { page, problems } = await openPage(served.origin);
    await startExport(page, ['Patient']);
    await page.locator('#manifest-output').waitFor();

    await expect
      .poll(() => page.locator('#journal-status').textContent())
      .toBe('The admin API is closed to this page (401 Unauthorized), so the journal and the report are not shown.');
    expect(await page.locator('#journal-intro').isHidden()).toBe(true);
    expect(await page.locator('#journal-body').isHidden()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
