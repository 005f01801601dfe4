// The whole Verto flow: token → kick-off → poll → download, with exact results.
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { generatePopulation } from '../../seed/generator.js';
import {
  BASE,
  T0,
  bearer,
  buildTestApp,
  download,
  getToken,
  jobPlanned,
  kickOff,
  parseNdjson,
  pathOf,
  pollUntilDone,
  runExport,
  seededDatabaseCopy,
  TEST_DATASET,
  type Manifest,
  type TestApp,
} from '../helper.js';

/** What the generator made for the test dataset: ids per type in generation order. */
const expected = new Map<string, string[]>();
beforeAll(() => {
  for (const r of generatePopulation(TEST_DATASET)) {
    const ids = expected.get(r.type) ?? [];
    ids.push(r.id);
    expected.set(r.type, ids);
  }
});

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

async function downloadAll(tApp: TestApp, manifest: Manifest, token: string) {
  const files: { type: string; count: number; lines: Record<string, unknown>[]; body: string }[] = [];
  for (const entry of manifest.output) {
    const res = await download(tApp.app, entry.url, token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+ndjson');
    files.push({ type: entry.type, count: entry.count, lines: parseNdjson(res.body), body: res.body });
  }
  return files;
}

describe('the export flow', () => {
  it('exports every type, 250 per file, with every line a resource of its entry type', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token);
    expect(kick.statusCode).toBe(202);
    const location = kick.headers['content-location'] as string;
    expect(location).toMatch(
      /^http:\/\/localhost:80\/api\/v1\/connect\/fhir\/\$export-poll-status\?_jobId=[0-9a-f-]{36}$/,
    );
    expect(kick.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });

    // Planned before the first poll, so no poll moves the clock before the job is ready (Expires is exact).
    await jobPlanned(t, location);
    const { final } = await pollUntilDone(t, location, token);
    expect(final.statusCode).toBe(200);
    expect(final.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(final.headers.expires).toBe(new Date(T0 + 3600 * 1000).toUTCString());
    const manifest = final.json() as Manifest;
    expect(Object.keys(manifest).sort()).toEqual(['error', 'output', 'request', 'requiresAccessToken', 'transactionTime']);
    expect(manifest.transactionTime).toBe(new Date(T0).toISOString());
    expect(manifest.request).toBe(`http://localhost:80${BASE}/fhir/$export`);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);

    // Entries by type in the default order, each type split into ceil(n/250) files.
    const typesWithData = EXPORTABLE_TYPES.filter((type) => (expected.get(type)?.length ?? 0) > 0);
    const expectedEntries = typesWithData.flatMap((type) => {
      const n = expected.get(type)!.length;
      return Array.from({ length: Math.ceil(n / 250) }, (_, i) => ({ type, count: Math.min(250, n - i * 250) }));
    });
    expect(manifest.output.map(({ type, count }) => ({ type, count }))).toEqual(expectedEntries);
    for (const e of manifest.output) expect(e.url).toMatch(/^\/file\/[0-9a-f-]{36}\/download$/);

    const files = await downloadAll(t, manifest, token);
    const seen = new Set<string>();
    for (const f of files) {
      expect(f.lines).toHaveLength(f.count);
      for (const r of f.lines) {
        expect(r.resourceType).toBe(f.type);
        const key = `${f.type}/${r.id as string}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
    }
    // Exactly the generated resources, in generation order per type.
    for (const type of typesWithData) {
      const ids = files.filter((f) => f.type === type).flatMap((f) => f.lines.map((r) => r.id));
      expect(ids).toEqual(expected.get(type));
    }
    // Every reference resolves to an exported resource.
    const refs = files.flatMap((f) => f.body.match(/"reference":"[^"]+"/g) ?? []).map((m) => m.slice(13, -1));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(seen.has(ref), ref).toBe(true);
  });

  it('exports the requested types in the order asked, and nothing else', async () => {
    t = await buildTestApp();
    const manifest = await runExport(t, '?_type=MedicationRequest,Patient');
    expect([...new Set(manifest.output.map((e) => e.type))]).toEqual(['MedicationRequest', 'Patient']);
    expect(manifest.output.reduce((n, e) => n + e.count, 0)).toBe(
      expected.get('MedicationRequest')!.length + TEST_DATASET.patients,
    );
  });

  it('takes %24export, repeated _type and echoes the request exactly as sent', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const res = await t.app.inject({
      method: 'GET',
      url: `${BASE}/fhir/%24export?_type=Patient&_type=Condition`,
      headers: { ...bearer(token), host: 'mock.example:8080' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-location']).toMatch(/^http:\/\/mock\.example:8080\/api\/v1\/connect\/fhir\/\$export-poll-status\?_jobId=/);
    const { final } = await pollUntilDone(t, res.headers['content-location'] as string, token);
    const manifest = final.json() as Manifest;
    expect(manifest.request).toBe(`http://mock.example:8080${BASE}/fhir/%24export?_type=Patient&_type=Condition`);
    expect([...new Set(manifest.output.map((e) => e.type))]).toEqual(['Patient', 'Condition']);
  });

  it('builds absolute URLs from PUBLIC_BASE_URL when set', async () => {
    t = await buildTestApp({ PUBLIC_BASE_URL: 'https://verto-mock.example.org' });
    const token = await getToken(t.app);
    const res = await kickOff(t.app, token, '?_type=Patient');
    expect(res.headers['content-location']).toMatch(
      /^https:\/\/verto-mock\.example\.org\/api\/v1\/connect\/fhir\/\$export-poll-status\?_jobId=/,
    );
  });

  it('POST with a Parameters body does the same as GET (application/fhir+json)', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Condition' }] }),
    });
    expect(res.statusCode).toBe(202);
    const { final } = await pollUntilDone(t, res.headers['content-location'] as string, token);
    const manifest = final.json() as Manifest;
    expect([...new Set(manifest.output.map((e) => e.type))]).toEqual(['Condition']);
    expect(manifest.output.reduce((n, e) => n + e.count, 0)).toBe(expected.get('Condition')!.length);
  });

  it('splits by FILE_MAX_RESOURCES: every file but the last full', async () => {
    t = await buildTestApp({ FILE_MAX_RESOURCES: '7' });
    const manifest = await runExport(t, '?_type=Patient');
    const counts = manifest.output.map((e) => e.count);
    expect(counts).toEqual([...Array<number>(8).fill(7), 4]); // 60 = 8 × 7 + 4
  });

  it('shows 202 with X-Progress and an integer Retry-After before the minimum duration', async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '3000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    const location = kick.headers['content-location'] as string;
    await jobPlanned(t, location);
    const { final, polls } = await pollUntilDone(t, location, token);
    expect(final.statusCode).toBe(200);
    expect(polls.map((p) => [p.headers['x-progress'], p.headers['retry-after'], p.body])).toEqual([
      ['in progress: 0% complete', '1', ''],
      ['in progress: 33% complete', '1', ''],
      ['in progress: 66% complete', '1', ''],
    ]);
  });

  it('two exports of the same data give identical files in the same order', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const a = await runExport(t, '', token);
    const b = await runExport(t, '', token);
    expect(b.output.map(({ type, count }) => ({ type, count }))).toEqual(a.output.map(({ type, count }) => ({ type, count })));
    expect(new Set([...a.output, ...b.output].map((e) => e.url)).size).toBe(a.output.length * 2);
    const bodiesA = (await downloadAll(t, a, token)).map((f) => f.body);
    const bodiesB = (await downloadAll(t, b, token)).map((f) => f.body);
    expect(bodiesB).toEqual(bodiesA);
  });

  it('concurrent exports agree with each other', async () => {
    t = await buildTestApp({ JOB_CONCURRENCY: '2' });
    const token = await getToken(t.app);
    const tApp = t;
    const manifests = await Promise.all(Array.from({ length: 6 }, () => runExport(tApp, '?_type=Observation,Patient', token)));
    const bodies = await Promise.all(manifests.map(async (m) => (await downloadAll(tApp, m, token)).map((f) => f.body)));
    for (const b of bodies.slice(1)) expect(b).toEqual(bodies[0]);
  });

  it('is a snapshot: data added after the kick-off is not in the export', async () => {
    t = await buildTestApp({ JOB_MIN_DURATION_MS: '1000' });
    const token = await getToken(t.app);
    const kick = await kickOff(t.app, token, '?_type=Patient');
    t.app.store.repos().resources.insertMany([
      { type: 'Patient', id: 'added-later', patientId: 'added-later', lastUpdated: new Date(T0).toISOString(), json: '{"resourceType":"Patient","id":"added-later"}' },
    ]);
    const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token);
    const manifest = final.json() as Manifest;
    expect(manifest.output.reduce((n, e) => n + e.count, 0)).toBe(TEST_DATASET.patients);
    const after = await runExport(t, '?_type=Patient', token);
    expect(after.output.reduce((n, e) => n + e.count, 0)).toBe(TEST_DATASET.patients + 1);
  });

  it('gzips a download when Accept-Encoding allows, identical once unzipped', async () => {
    t = await buildTestApp();
    const token = await getToken(t.app);
    const manifest = await runExport(t, '?_type=Observation', token);
    const url = `${BASE}${manifest.output[0]!.url}`;
    const plain = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
    const zipped = await t.app.inject({ method: 'GET', url, headers: { ...bearer(token), 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/fhir+ndjson');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('a completed job survives a restart on the same database file', async () => {
    const path = await seededDatabaseCopy();
    t = await buildTestApp({ DATABASE_PATH: path });
    const token = await getToken(t.app);
    const manifest = await runExport(t, '?_type=Condition', token);
    const before = (await downloadAll(t, manifest, token)).map((f) => f.body);
    const kick = await kickOff(t.app, token, '?_type=Condition');
    const pollUrl = kick.headers['content-location'] as string;
    await pollUntilDone(t, pollUrl, token);
    await t.app.close();

    t = await buildTestApp({ DATABASE_PATH: path });
    const res = await t.app.inject({ method: 'GET', url: pathOf(pollUrl), headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const again = res.json() as Manifest;
    expect((await downloadAll(t, again, token)).map((f) => f.body)).toEqual(before);
  });
});
