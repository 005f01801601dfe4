// The standard profile (PROFILE=standard) against the checks the public Bulk Data conformance
// suites make (Inferno's Bulk Data v2 server tests and SMART's BDT), for each kick-off level.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Group } from '../../src/fhir/r4.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { BASE, bearer, buildTestApp, getToken, jobPlanned, pathOf, pollUntilDone, type Manifest } from '../helper.js';
import { ASYNC, finish, get, groupSearch, lines, post, t, token, useStandardApp } from './session.js';

useStandardApp();

/** An OperationOutcome answer, of the media type the request's Accept negotiated (docs/behaviour.md, "Content negotiation"). */
function expectOutcome(res: LightMyRequestResponse, status: number, diagnostics: string, type = 'application/fhir+json') {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
  expect(res.json().resourceType).toBe('OperationOutcome');
  expect(res.json().issue[0].diagnostics).toContain(diagnostics);
}

async function someGroup(): Promise<Group> {
  return (await groupSearch('?name=patients%20of'))[0]!;
}

describe('kick-off levels (GET and POST)', () => {
  it('system level: absolute URLs, NDJSON of the declared types, at least two Patients', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export`));
    const patients = await lines(m, 'Patient');
    expect(patients.length).toBeGreaterThanOrEqual(2);
    expect(m.output.some((e) => e.type === 'Practitioner')).toBe(true);
  });

  it('Patient level: only resources in patient compartments', async () => {
    const m = await finish(await get(`${BASE}/fhir/Patient/$export`));
    expect(m.output.some((e) => e.type === 'Practitioner' || e.type === 'Organization')).toBe(false);
    expect((await lines(m, 'Patient')).length).toBe(60);
    const viaPost = await finish(await post(`${BASE}/fhir/Patient/$export`, [{ name: '_type', valueString: 'Patient' }]));
    expect(viaPost.output.map((e) => e.count)).toEqual([60]);
  });

  it('Group level: exactly the members, and their records', async () => {
    const group = await someGroup();
    const members = new Set(group.member!.map((m) => m.entity.reference!.slice('Patient/'.length)));
    const m = await finish(await get(`${BASE}/fhir/Group/${group.id}/$export?_type=Patient,Condition`));
    const patients = await lines(m, 'Patient');
    expect(new Set(patients.map((p) => p.id))).toEqual(members);
    for (const c of await lines(m, 'Condition')) {
      expect(members.has(((c.subject as { reference: string }).reference).slice(8))).toBe(true);
    }
    const viaPost = await finish(await post(`${BASE}/fhir/Group/${group.id}/$export`, [{ name: '_type', valueString: 'Patient' }]));
    expect(viaPost.output.reduce((n, e) => n + e.count, 0)).toBe(members.size);
  });

  it('patient (POST) narrows a Patient or Group export to the named patients', async () => {
    const group = await someGroup();
    const two = group.member!.slice(0, 2).map((m) => ({ name: 'patient', valueReference: { reference: m.entity.reference } }));
    const m = await finish(await post(`${BASE}/fhir/Group/${group.id}/$export`, [{ name: '_type', valueString: 'Patient' }, ...two]));
    expect((await lines(m)).map((p) => `Patient/${p.id as string}`).sort()).toEqual(two.map((p) => p.valueReference.reference).sort());
  });

  it('DELETE → 202, then the status URL answers 404 + OperationOutcome', async () => {
    const kick = await get(`${BASE}/fhir/$export?_type=Patient`);
    const location = pathOf(kick.headers['content-location'] as string);
    expect((await t.app.inject({ method: 'DELETE', url: location, headers: bearer(token) })).statusCode).toBe(202);
    expectOutcome(await t.app.inject({ method: 'GET', url: location, headers: bearer(token) }), 404, 'cancelled');
  });
});

describe('parameters', () => {
  it.each(['application/fhir+ndjson', 'application/ndjson', 'ndjson'])('_outputFormat=%s → 202', async (format) => {
    const res = await get(`${BASE}/fhir/$export?_type=Patient&_outputFormat=${encodeURIComponent(format)}`);
    expect(res.statusCode).toBe(202);
  });

  it('_since returns exactly what changed since (new activity from the mock clock)', async () => {
    const first = await finish(await get(`${BASE}/fhir/$export?_type=Encounter,Observation`));
    t.clock.advance(60_000);
    // The activity is stamped with the clock's time (the first export may have taken a poll or two).
    const stamped = new Date(t.clock.now()).toISOString();
    const clock = await t.app.inject({ method: 'POST', url: '/_mock/clock', payload: { advanceDays: 3 } });
    expect(clock.statusCode).toBe(200);
    const added = clock.json().added as Record<string, number>;
    expect(added.Encounter).toBeGreaterThan(0);
    t.clock.advance(60_000);
    const since = encodeURIComponent(first.transactionTime);
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Encounter,Observation&_since=${since}`));
    const rows = await lines(m);
    expect(rows.filter((r) => r.resourceType === 'Encounter')).toHaveLength(added.Encounter!);
    expect(rows.filter((r) => r.resourceType === 'Observation')).toHaveLength(added.Observation!);
    for (const r of rows) expect((r.meta as { lastUpdated: string }).lastUpdated).toBe(stamped);
    // The same activity every time for the same seed: reset, add again, same resources.
    const ids = rows.map((r) => r.id);
    const reset = await t.app.inject({ method: 'POST', url: '/_mock/reset' });
    expect(reset.json().resourcesRemoved).toBe(added.Encounter! + added.Observation!);
    await t.app.inject({ method: 'POST', url: '/_mock/clock', payload: { advanceDays: 3 } });
    const again = await finish(await get(`${BASE}/fhir/$export?_type=Encounter,Observation&_since=${since}`));
    expect((await lines(again)).map((r) => r.id)).toEqual(ids);
  });

  it('_until bounds the other side', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Encounter&_until=2019-12-31T23:59:59Z`));
    for (const r of await lines(m)) expect(Date.parse((r.meta as { lastUpdated: string }).lastUpdated)).toBeLessThanOrEqual(Date.parse('2019-12-31T23:59:59Z'));
  });

  it('_typeFilter filters exactly, several filters for a type OR together', async () => {
    const all = await lines(await finish(await get(`${BASE}/fhir/$export?_type=Observation`)));
    const isVital = (o: Record<string, unknown>) =>
      JSON.stringify(o.category).includes('"vital-signs"');
    const vitalFilter = encodeURIComponent('Observation?category=vital-signs');
    const vitals = await lines(await finish(await get(`${BASE}/fhir/$export?_type=Observation&_typeFilter=${vitalFilter}`)));
    expect(vitals.map((o) => o.id)).toEqual(all.filter(isVital).map((o) => o.id));
    expect(vitals.length).toBeGreaterThan(0);
    expect(vitals.length).toBeLessThan(all.length);
    const either = encodeURIComponent('Observation?category=vital-signs,Observation?category=laboratory');
    const both = await lines(await finish(await get(`${BASE}/fhir/$export?_type=Observation&_typeFilter=${either}`)));
    const isLab = (o: Record<string, unknown>) => JSON.stringify(o.category).includes('"laboratory"');
    expect(both.map((o) => o.id)).toEqual(all.filter((o) => isVital(o) || isLab(o)).map((o) => o.id));
    const dated = encodeURIComponent('Observation?date=ge2025-01-01');
    const recent = await lines(await finish(await get(`${BASE}/fhir/$export?_type=Observation&_typeFilter=${dated}`)));
    expect(recent.map((o) => o.id)).toEqual(all.filter((o) => (o.effectiveDateTime as string) >= '2025-01-01').map((o) => o.id));
  });

  it('_elements keeps the named and mandatory elements and tags SUBSETTED', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Observation,Patient&_elements=Observation.subject,gender`));
    const obs = await lines(m, 'Observation');
    expect(Object.keys(obs[0]!).sort()).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'subject']);
    expect((obs[0]!.meta as { tag: { code: string }[] }).tag.at(-1)!.code).toBe('SUBSETTED');
    const patients = await lines(m, 'Patient');
    expect(Object.keys(patients[0]!).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
  });
});

describe('negative cases', () => {
  it.each([
    ['no Accept', { prefer: 'respond-async' }, 'Accept: application/fhir+json'],
    ['Accept: application/json', { accept: 'application/json', prefer: 'respond-async' }, 'Accept: application/fhir+json'],
    ['no Prefer', { accept: 'application/fhir+json' }, 'Prefer: respond-async'],
  ])('%s → 400', async (_name, headers: Record<string, string>, message) => {
    const type = headers.accept === 'application/json' ? 'application/json' : undefined;
    expectOutcome(await get(`${BASE}/fhir/$export`, headers), 400, message, type);
  });

  it.each([
    ['_type=MissingType', '"MissingType"'],
    ['_since=yesterday', '_since "yesterday" is not a FHIR instant'],
    ['_since=2099-01-01T00:00:00Z', 'is in the future'],
    ['_outputFormat=application%2Fxml', '_outputFormat "application/xml" is not supported'],
    ['patient=Patient%2F123', 'not the system-level $export'],
    ['_typeFilter=Observation%3Fbanana%3D1', 'uses the search parameter "banana"'],
    ['_typeFilter=Observation%3Fdate%3Dtomorrow', '"tomorrow" is not a valid date value'],
    ['_elements=1bad', '"1bad"'],
    ['_until=2020-01-01T00:00:00Z&_since=2021-01-01T00:00:00Z', '_until is before _since'],
  ])('%s → 400', async (query, message) => {
    expectOutcome(await get(`${BASE}/fhir/$export?${query}`), 400, message);
  });

  it('an unknown Group → 404', async () => {
    expectOutcome(await get(`${BASE}/fhir/Group/no-such-group/$export`), 404, 'No Group no-such-group');
  });

  it('lenient handling turns unsupported items into error entries and proceeds', async () => {
    const res = await get(`${BASE}/fhir/$export?_type=Patient&_outputFormat=text%2Fcsv&foo=bar`, {
      ...ASYNC,
      prefer: 'respond-async, handling=lenient',
    });
    const m = await finish(res);
    expect(m.output.map((e) => e.type)).toEqual(['Patient']);
    expect(m.error).toEqual([expect.objectContaining({ type: 'OperationOutcome', count: 2 })]);
    expect(m.error[0]!.url).toMatch(/^http:\/\//);
  });
});

describe('discovery and Groups', () => {
  it('metadata: a CapabilityStatement that instantiates the bulk-data one', async () => {
    const res = await get(`${BASE}/fhir/metadata`, {});
    expect(res.statusCode).toBe(200);
    const cs = res.json();
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.instantiates).toEqual(['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data']);
    expect(cs.rest[0].operation).toEqual([{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }]);
    const ops = cs.rest[0].resource.flatMap((r: { operation?: { definition: string }[] }) => r.operation ?? []).map((o: { definition: string }) => o.definition);
    expect(ops).toEqual([
      'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
      'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
    ]);
    const types = cs.rest[0].resource.map((r: { type: string }) => r.type);
    expect(types).toEqual(['Patient', 'Group', ...EXPORTABLE_TYPES.filter((x) => x !== 'Patient')]);
    expect(cs.rest[0].security.extension[0].extension).toEqual([{ url: 'token', valueUri: 'http://localhost:80/oauth/token' }]);
  });

  it('Group read and search by name and identifier', async () => {
    const all = await get(`${BASE}/fhir/Group`, {});
    expect(all.json().resourceType).toBe('Bundle');
    const groups = all.json().entry.map((e: { resource: Group }) => e.resource) as Group[];
    expect(groups.length).toBeGreaterThanOrEqual(2);
    const g = groups[0]!;
    const read = await get(`${BASE}/fhir/Group/${g.id}`, {});
    expect(read.json()).toEqual(g);
    const ident = g.identifier![0]!;
    const byId = await get(`${BASE}/fhir/Group?identifier=${encodeURIComponent(`${ident.system}|${ident.value}`)}`, {});
    expect(byId.json().entry.map((e: { resource: Group }) => e.resource.id)).toEqual([g.id]);
    expectOutcome(await get(`${BASE}/fhir/Group?members=1`, {}), 400, '"members"');
    expectOutcome(await get(`${BASE}/fhir/Group/nope`, {}), 404, 'No Group nope');
  });
});

describe('the Verto profile keeps to Verto', () => {
  it('the standard-only surface answers 404 saying how to switch it on', async () => {
    const verto = await buildTestApp();
    try {
      const tok = await getToken(verto.app);
      for (const url of [`${BASE}/fhir/Patient/$export`, `${BASE}/fhir/Group/x/$export`, `${BASE}/fhir/Group`, `${BASE}/fhir/metadata`]) {
        const res = await verto.app.inject({ method: 'GET', url, headers: bearer(tok) });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().issue[0].diagnostics).toContain('PROFILE=standard');
      }
      // No Accept/Prefer needed, and relative urls in the manifest.
      const kick = await verto.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient`, headers: bearer(tok) });
      await jobPlanned(verto, kick.headers['content-location'] as string);
      const { final } = await pollUntilDone(verto, kick.headers['content-location'] as string, tok);
      expect((final.json() as Manifest).output[0]!.url).toMatch(/^\/file\//);
    } finally {
      await verto.app.close();
    }
  });
});
