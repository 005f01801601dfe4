// The standard-profile tests' shared setup: a fresh PROFILE=standard app and a token for each
// test (useStandardApp), and the requests they all make: kick-offs with the IG's headers,
// waiting for the manifest, reading the files, finding Groups.
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Group } from '../../src/fhir/r4.js';
import { bearer, buildTestApp, getToken, parseNdjson, pathOf, pollUntilDone, BASE, type Manifest, type TestApp } from '../helper.js';

/** The headers the Bulk Data IG requires on a kick-off. */
export const ASYNC = { accept: 'application/fhir+json', prefer: 'respond-async' };

/** The current test's app and token (live bindings: set before each test). */
export let t: TestApp;
export let token: string;

/** Call at a test file's top level: each test gets its own app and token, closed after it. */
export function useStandardApp(): void {
  beforeEach(async () => {
    t = await buildTestApp({ PROFILE: 'standard' });
    token = await getToken(t.app);
  });
  afterEach(async () => {
    await t.app.close();
  });
}

export const get = (url: string, headers: Record<string, string> = ASYNC) =>
  t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });

/** A POST kick-off with a Parameters body of `parameter`. */
export const post = (url: string, parameter: object[], headers: Record<string, string> = ASYNC) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(token), ...headers, 'content-type': 'application/fhir+json' },
    payload: JSON.stringify({ resourceType: 'Parameters', parameter }),
  });

/** Polls an accepted kick-off to its manifest, checking the manifest's standard shape. */
export async function finish(kick: LightMyRequestResponse): Promise<Manifest> {
  expect(kick.statusCode, kick.body).toBe(202);
  const location = kick.headers['content-location'] as string;
  expect(location).toMatch(/^http:\/\/localhost:80\/api\/v1\/connect\/fhir\/\$export-poll-status\?_jobId=/);
  const { final } = await pollUntilDone(t, location, token);
  expect(final.statusCode, final.body).toBe(200);
  expect(final.headers['content-type']).toContain('application/json');
  const manifest = final.json() as Manifest;
  expect(Object.keys(manifest).sort()).toEqual(['error', 'output', 'request', 'requiresAccessToken', 'transactionTime']);
  for (const e of manifest.output) expect(e.url).toMatch(/^http:\/\/localhost:80\/api\/v1\/connect\/file\/[0-9a-f-]{36}\/download$/);
  return manifest;
}

/** The resources of a manifest's files (of one type, when given), each file checked against its entry. */
export async function lines(manifest: Manifest, type?: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of manifest.output.filter((x) => !type || x.type === type)) {
    const res = await t.app.inject({ method: 'GET', url: pathOf(e.url), headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+ndjson');
    const rows = parseNdjson(res.body);
    expect(rows).toHaveLength(e.count);
    for (const r of rows) expect(r.resourceType).toBe(e.type);
    out.push(...rows);
  }
  return out;
}

/** The Groups a search finds (at least one). */
export async function groupSearch(query: string): Promise<Group[]> {
  const res = await get(`${BASE}/fhir/Group${query}`, {});
  expect(res.statusCode).toBe(200);
  const groups = (res.json().entry as { resource: Group }[]).map((e) => e.resource);
  expect(groups.length).toBeGreaterThan(0);
  return groups;
}
