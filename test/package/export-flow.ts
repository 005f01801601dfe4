// One export against a running mock over real HTTP, as a client of the library would run it:
// token, kick-off, bounded polling, every file downloaded and parsed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningMock } from '../../src/index.js';

export interface ExportRun {
  jobId: string;
  /** Lines per type, as downloaded. */
  counts: Record<string, number>;
}

export async function tokenFor(mock: RunningMock): Promise<string> {
  const res = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', ...mock.credentials }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Kicks off a system-level export; the answer as it came. */
export async function kickOff(mock: RunningMock, token: string): Promise<Response> {
  return fetch(`${mock.baseUrl}/fhir/$export`, { headers: { authorization: `Bearer ${token}` } });
}

export async function runExport(mock: RunningMock, maxPolls = 500): Promise<ExportRun> {
  const token = await tokenFor(mock);
  const auth = { authorization: `Bearer ${token}` };
  const kick = await kickOff(mock, token);
  await kick.text();
  if (kick.status !== 202) throw new Error(`kick-off: ${kick.status}`);
  const pollUrl = kick.headers.get('content-location')!;
  const jobId = new URL(pollUrl).searchParams.get('_jobId')!;
  for (let poll = 0; poll < maxPolls; poll++) {
    const status = await fetch(pollUrl, { headers: auth });
    const body = await status.text();
    if (status.status === 202) {
      await sleep(5);
      continue;
    }
    if (status.status !== 200) throw new Error(`poll: ${status.status} ${body}`);
    const manifest = JSON.parse(body) as { output: { type: string; url: string }[] };
    const counts: Record<string, number> = {};
    for (const file of manifest.output) {
      const ndjson = await (await fetch(`${mock.baseUrl}${file.url}`, { headers: auth })).text();
      counts[file.type] = (counts[file.type] ?? 0) + ndjson.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown).length;
    }
    return { jobId, counts };
  }
  throw new Error(`the export was still running after ${maxPolls} polls`);
}
