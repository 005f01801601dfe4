// What the grader asks of the mock, behind one small interface: the admin API over HTTP for a
// running mock (`--origin`), the same calls on the in-process one. Tests give the grader a fake.
import type { JournalEntry } from '../journal/journal-entry.js';
import type { ExportFacts } from '../conformance/requirement.js';
import type { ScenarioName } from '../scenarios/catalog.js';

export interface MockControl {
  /** Forgets every job, armed scenario and journal entry. */
  reset(): Promise<void>;
  /** Arms `scenario` for the next kick-off only. */
  arm(scenario: ScenarioName): Promise<void>;
  /** The journal, oldest first. */
  requests(): Promise<JournalEntry[]>;
  /** What the server knows of one export (the `export` part of its report); null for a job it does not know. */
  exportFacts(jobId: string): Promise<ExportFacts | null>;
}

export class MockControlError extends Error {
  override name = 'MockControlError';
}

/** The admin API of the mock at `origin` (with `adminToken` when the mock requires one). */
export function httpMockControl(origin: string, adminToken?: string): MockControl {
  const headers: Record<string, string> = adminToken ? { authorization: `Bearer ${adminToken}` } : {};
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${origin}/_mock${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res;
  };
  const expectOk = async (res: Response, what: string): Promise<unknown> => {
    const text = await res.text();
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? ' (is --admin-token right?)' : '';
      throw new MockControlError(`${what}: the mock answered ${res.status}${hint}: ${text.slice(0, 300)}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    async reset() {
      // The reset empties the journal too.
      await expectOk(await call('POST', '/reset'), 'POST /_mock/reset');
    },
    async arm(scenario) {
      await expectOk(await call('POST', '/scenarios', { scenario, count: 1 }), 'POST /_mock/scenarios');
    },
    async requests() {
      const body = (await expectOk(await call('GET', '/requests'), 'GET /_mock/requests')) as { requests: JournalEntry[] };
      return body.requests;
    },
    async exportFacts(jobId) {
      const res = await call('GET', `/exports/${encodeURIComponent(jobId)}/report`);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      const body = (await expectOk(res, `GET /_mock/exports/${jobId}/report`)) as { export: ExportFacts };
      return body.export;
    },
  };
}
