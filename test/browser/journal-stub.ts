// Until this server answers GET /_mock/requests and GET /_mock/exports/<jobId>/report itself, the
// browser test answers them for the page from what the browser saw of its own requests (the
// same fields the server's journal records). The admin guard stays the server's: each stubbed
// read is first sent, with the page's own headers, to GET /_mock/scenarios, and a refusal there
// is the answer. Used only when the app has no such route (see demo-page.test.ts): once it does,
// the test reads the server's journal and report instead, and this file can go.
import type { Page, Request } from 'playwright-core';
import type { JournalEntry } from '../../src/journal/journal-entry.js';

export interface JournalStub {
  list(jobId: string): JournalEntry[];
  report(jobId: string): unknown;
}

const jobIdOf = (url: URL) => url.searchParams.get('_jobId');

export async function stubJournal(page: Page, origin: string): Promise<JournalStub> {
  const entries: JournalEntry[] = [];
  let currentJob: string | null = null;

  const record = async (request: Request, complete: boolean) => {
    const url = new URL(request.url());
    if (url.origin !== origin || url.pathname.startsWith('/_mock/') || url.pathname.startsWith('/demo/')) return;
    const response = await request.response();
    if (!response) return;
    const location = response.headers()['content-location'];
    const jobId = jobIdOf(url) ?? (location ? jobIdOf(new URL(location)) : null) ?? (url.pathname.includes('/file/') ? currentJob : null);
    if (location && jobId) currentJob = jobId;
    const timing = request.timing();
    const headers = request.headers();
    const retryAfter = response.headers()['retry-after'];
    entries.push({
      at: new Date(timing.startTime).toISOString(),
      method: request.method(),
      path: url.pathname,
      query: url.search.slice(1),
      status: response.status(),
      ms: Math.max(0, Math.round(timing.responseEnd)),
      bytes: await request.sizes().then((sizes) => sizes.responseBodySize, () => 0),
      complete,
      jobId,
      fileId: /\/file\/([^/]+)\//.exec(url.pathname)?.[1] ?? null,
      token: headers.authorization !== undefined,
      userAgent: headers['user-agent'] ?? null,
      scenario: null,
      retryAfter: retryAfter === undefined ? null : Number(retryAfter),
    });
    entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  };
  page.on('requestfinished', (request) => void record(request, true));
  page.on('requestfailed', (request) => void record(request, false));

  const list = (jobId: string) => entries.filter((e) => e.jobId === jobId);
  const report = (jobId: string) => {
    const polls = list(jobId).filter((e) => e.path.endsWith('/$export-poll-status'));
    return {
      jobId,
      profile: 'verto',
      scenarios: [],
      export: { jobId, scenarios: [], files: [], requiresAccessToken: true },
      results: [
        {
          requirement: 'poll.honours-retry-after',
          sentence: 'Never polls sooner than the last Retry-After.',
          source: 'Bulk Data IG 2.0.0, "Bulk Data Status Request"; RFC 9110 §10.2.3',
          outcome: 'pass',
          evidence: { reason: `${polls.length} polls, none sooner than Retry-After.`, entries: polls.slice(0, 2) },
        },
        {
          requirement: 'exit.honest',
          sentence: 'Exits 0 exactly when it ended with the complete export.',
          source: "Verto's documentation",
          outcome: 'not-exercised',
          evidence: { reason: 'No grader ran the client, so its exit code is unknown.', entries: [] },
        },
      ],
      summary: { pass: 1, fail: 0, notExercised: 1 },
    };
  };

  await page.route(
    (url) => url.pathname === '/_mock/requests' || /^\/_mock\/exports\/[^/]+\/report$/.test(url.pathname),
    async (route, request) => {
      const guard = await route.fetch({ url: `${origin}/_mock/scenarios` });
      if (guard.status() !== 200) return route.fulfill({ response: guard });
      const url = new URL(request.url());
      const jobId = url.searchParams.get('jobId') ?? url.pathname.split('/')[3] ?? '';
      return route.fulfill({ json: url.pathname === '/_mock/requests' ? { requests: list(jobId) } : report(jobId) });
    },
  );
  return { list, report };
}
