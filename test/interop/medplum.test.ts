// Medplum's TypeScript client (@medplum/core, pinned in the dev dependencies) runs a bulk export
// against the standard profile unchanged, as docs/clients.md says: MedplumClient.bulkExport at
// system, Patient and Group level and with _since, over real HTTP, then every file downloaded
// with the client's own download() and checked against its manifest entry.
import { MedplumClient } from '@medplum/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Group } from '../../src/fhir/r4.js';
import { BASE, buildTestApp, getToken, parseNdjson, storedCounts, type Manifest, type TestApp } from '../helper.js';

let t: TestApp;
let medplum: MedplumClient;

beforeEach(async () => {
  t = await buildTestApp({ PROFILE: 'standard' });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as { port: number };
  // The options a Medplum user sets for a server other than Medplum's own: where the FHIR base
  // is, poll the status URL on 202 (pollStatusOnAccepted), and a token from the server's token
  // endpoint (password grant here; SMART Backend Services works the same way).
  medplum = new MedplumClient({ baseUrl: `http://127.0.0.1:${port}${BASE}/`, fhirUrlPath: 'fhir', fetch });
  medplum.setAccessToken(await getToken(t.app));
});

afterEach(async () => {
  await t.app.close();
});

const options = { pollStatusOnAccepted: true, pollStatusPeriod: 5 };

/** Every output of the manifest, downloaded through the client: resources by type, each file's count checked. */
async function downloadAll(answer: unknown): Promise<Record<string, Record<string, unknown>[]>> {
  const manifest = answer as Manifest;
  expect(manifest.requiresAccessToken).toBe(true);
  expect(manifest.error).toEqual([]);
  const byType: Record<string, Record<string, unknown>[]> = {};
  for (const entry of manifest.output) {
    const blob = await medplum.download(entry.url);
    const rows = parseNdjson(await blob.text());
    expect(rows, entry.url).toHaveLength(entry.count);
    for (const r of rows) expect(r.resourceType).toBe(entry.type);
    (byType[entry.type] ??= []).push(...rows);
  }
  return byType;
}

const counts = (byType: Record<string, unknown[]>) => Object.fromEntries(Object.entries(byType).map(([type, rows]) => [type, rows.length]));

describe('MedplumClient.bulkExport', () => {
  it('system level: every exportable type, each count what the server holds', async () => {
    const manifest = await medplum.bulkExport('', undefined, undefined, options);
    expect(manifest.request).toMatch(/\/fhir\/\$export$/);
    expect(counts(await downloadAll(manifest))).toEqual(storedCounts(t.app));
  });

  it('Patient level, with _type: every patient and their conditions', async () => {
    const manifest = await medplum.bulkExport('Patient', 'Patient,Condition', undefined, options);
    expect(manifest.request).toMatch(/\/fhir\/Patient\/\$export\?_type=Patient%2CCondition$/);
    const stored = storedCounts(t.app);
    expect(counts(await downloadAll(manifest))).toEqual({ Patient: stored.Patient, Condition: stored.Condition });
  });

  it('Group level: exactly the members', async () => {
    const bundle = await medplum.search('Group', { name: 'patients of' });
    const group = bundle.entry![0]!.resource as Group;
    const members = group.member!.map((m) => m.entity.reference!.slice('Patient/'.length)).sort();
    const manifest = await medplum.bulkExport(`Group/${group.id}`, 'Patient', undefined, options);
    const { Patient: patients } = await downloadAll(manifest);
    expect(patients!.map((p) => p.id).sort()).toEqual(members);
  });

  it('_since: exactly the resources changed since', async () => {
    const first = await medplum.bulkExport('', 'Encounter,Observation', undefined, options);
    t.clock.advance(60_000);
    const clock = await t.app.inject({ method: 'POST', url: '/_mock/clock', payload: { advanceDays: 3 } });
    expect(clock.statusCode).toBe(200);
    const added = clock.json().added as Record<string, number>;
    const manifest = await medplum.bulkExport('', 'Encounter,Observation', (first as Manifest).transactionTime, options);
    expect(counts(await downloadAll(manifest))).toEqual({ Encounter: added.Encounter, Observation: added.Observation });
  });
});
