// The standard profile's kick-off rules at every level: what standard-profile.test.ts checks
// at the system level (the _outputFormat aliases, _since, cancel, and each 400) is checked here
// for {BASE}/fhir/$export, {BASE}/fhir/Patient/$export and {BASE}/fhir/Group/[id]/$export, each
// with GET (query string) and POST (a Parameters body).
import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Group } from '../../src/fhir/r4.js';
import { BASE, T0, bearer, pathOf, storedCounts } from '../helper.js';
import { ASYNC, finish, get, groupSearch, lines, post, t, token, useStandardApp } from './session.js';

useStandardApp();

/** A kick-off parameter, as a query item (GET) or a Parameters entry (POST). */
type Param = [name: string, value: string];
type Method = 'GET' | 'POST';

/** The value[x] the Bulk Data IG gives each parameter in a POST; the others are valueString. */
const VALUE_KIND: Record<string, string> = {
  _since: 'valueInstant',
  _until: 'valueInstant',
  includeAssociatedData: 'valueCode',
  patient: 'valueReference',
};
const asParameter = ([name, value]: Param) => {
  const kind = VALUE_KIND[name] ?? 'valueString';
  return { name, [kind]: kind === 'valueReference' ? { reference: value } : value };
};

function kick(method: Method, url: string, params: Param[], headers: Record<string, string> = ASYNC) {
  if (method === 'GET') return get(params.length > 0 ? `${url}?${new URLSearchParams(params).toString()}` : url, headers);
  return post(url, params.map(asParameter), headers);
}

/** An OperationOutcome answer, of the media type the request's Accept negotiated (docs/behaviour.md, "Content negotiation"). */
function expectOutcome(res: LightMyRequestResponse, status: number, diagnostics: string, expression: string, type = 'application/fhir+json') {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
  const outcome = res.json();
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0].severity).toBe('error');
  expect(outcome.issue[0].diagnostics).toContain(diagnostics);
  expect(outcome.issue[0].expression).toEqual([expression]);
}

/** A 400 whose diagnostics, and expression, name the offending parameter or header. */
function expectRefused(res: LightMyRequestResponse, name: string, diagnostics: string, type?: string) {
  expectOutcome(res, 400, diagnostics, name, type);
  expect(res.json().issue[0].diagnostics).toContain(name);
}

/** A refused kick-off leaves no job behind. */
async function expectNoJob() {
  const reset = await t.app.inject({ method: 'POST', url: '/_mock/reset' });
  expect(reset.statusCode).toBe(200);
  expect(reset.json().jobsDeleted).toBe(0);
}

const membersOf = (g: Group) => new Set(g.member!.map((m) => m.entity.reference!));

/** Where a kick-off goes, and which patients (`Patient/<id>`) it covers; undefined = every patient. */
interface Target {
  url: string;
  members?: ReadonlySet<string>;
}

interface Level {
  level: string;
  /** The level's kick-off URLs: one for system and Patient, one per Group given for Group. */
  targets: (groups: Group[]) => Target[];
}

const LEVELS: Level[] = [
  {
    level: 'system',
    targets: () => [{ url: `${BASE}/fhir/$export` }],
  },
  {
    level: 'Patient',
    targets: () => [{ url: `${BASE}/fhir/Patient/$export` }],
  },
  {
    level: 'Group',
    targets: (groups) => groups.map((g) => ({ url: `${BASE}/fhir/Group/${g.id}/$export`, members: membersOf(g) })),
  },
];

const METHODS: Method[] = ['GET', 'POST'];

const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

// [what, headers, the header named, diagnostics]
const BAD_HEADERS: [string, Record<string, string>, string, string][] = [
  ['no Accept', { prefer: 'respond-async' }, 'Accept', 'needs "Accept: application/fhir+json"'],
  ['Accept: application/json', { accept: 'application/json', prefer: 'respond-async' }, 'Accept', '(got "application/json")'],
  ['no Prefer', { accept: 'application/fhir+json' }, 'Prefer', 'needs "Prefer: respond-async"'],
  ['Prefer without respond-async', { accept: 'application/fhir+json', prefer: 'handling=lenient' }, 'Prefer', 'needs "Prefer: respond-async"'],
];

// [what, parameters, the parameter named, diagnostics]
const BAD_PARAMETERS: [string, Param[], string, string][] = [
  ['unknown _type', [['_type', 'MissingType']], '_type', '_type names "MissingType", which this server does not export'],
  ['malformed _since', [['_since', 'yesterday']], '_since', '_since "yesterday" is not a FHIR instant'],
  ['_since in the future', [['_since', '2099-01-01T00:00:00Z']], '_since', '_since "2099-01-01T00:00:00Z" is in the future'],
  ['malformed _until', [['_until', 'soon']], '_until', '_until "soon" is not a FHIR instant'],
  ['_until in the future', [['_until', '2099-01-01T00:00:00Z']], '_until', '_until "2099-01-01T00:00:00Z" is in the future'],
  ['_until before _since', [['_since', '2021-01-01T00:00:00Z'], ['_until', '2020-01-01T00:00:00Z']], '_until', '_until is before _since'],
  ['_outputFormat=application/xml', [['_outputFormat', 'application/xml']], '_outputFormat', '_outputFormat "application/xml" is not supported'],
  ['_outputFormat=application/fhir+json', [['_outputFormat', 'application/fhir+json']], '_outputFormat', '"application/fhir+json" is not supported'],
  ['_typeFilter with an unsupported search parameter', [['_typeFilter', 'Observation?banana=1']], '_typeFilter', 'uses the search parameter "banana"'],
  ['_typeFilter with a malformed date', [['_typeFilter', 'Observation?date=tomorrow']], '_typeFilter', '"tomorrow" is not a valid date value'],
  ['_elements naming no element', [['_elements', '1bad']], '_elements', '_elements names "1bad"'],
  ['an unknown parameter', [['foo', 'bar']], 'foo', 'The parameter "foo" is not supported'],
];

describe.each(LEVELS.map((l) => [l.level, l] as const))('%s level', (_level, { targets }) => {
  /** The level's kick-off URL, for a Group found by search (the first clinic's). */
  let target: Target;
  /** How many Patients an export of `_type=Patient` at this level holds. */
  let patients: number;
  beforeEach(async () => {
    target = targets(await groupSearch('?name=patients%20of'))[0]!;
    patients = target.members?.size ?? storedCounts(t.app).Patient!;
    expect(patients).toBeGreaterThan(1);
  });

  describe.each(METHODS)('%s', (method) => {
    it.each(OUTPUT_FORMATS)('_outputFormat=%s → 202, and the export holds exactly the Patients of the level', async (format) => {
      const m = await finish(await kick(method, target.url, [['_type', 'Patient'], ['_outputFormat', format]]));
      expect(m.error).toEqual([]);
      const rows = await lines(m);
      expect(rows).toHaveLength(patients);
      if (target.members) expect(new Set(rows.map((p) => `Patient/${p.id as string}`))).toEqual(target.members);
    });

    it('_since returns exactly what changed since an earlier transactionTime (new activity from the mock clock)', async () => {
      const first = await finish(await kick(method, target.url, [['_type', 'Patient']]));
      t.clock.advance(60_000);
      const clock = await t.app.inject({ method: 'POST', url: '/_mock/clock', payload: { advanceDays: 3 } });
      expect(clock.statusCode).toBe(200);
      const added = clock.json().added as Record<string, number>;
      expect(added.Encounter).toBeGreaterThan(0);
      t.clock.advance(60_000);
      const since: Param[] = [['_type', 'Encounter,Observation'], ['_since', first.transactionTime]];

      // What changed, from every resource of those types (no _since): the rows the clock stamped.
      const stamped = new Date(T0 + 60_000).toISOString();
      const all = await lines(await finish(await get(`${BASE}/fhir/$export?_type=Encounter,Observation`)));
      const changed = all.filter((r) => Date.parse((r.meta as { lastUpdated: string }).lastUpdated) >= Date.parse(first.transactionTime));
      expect(changed.filter((r) => r.resourceType === 'Encounter')).toHaveLength(added.Encounter!);
      expect(changed.filter((r) => r.resourceType === 'Observation')).toHaveLength(added.Observation!);
      for (const r of changed) expect((r.meta as { lastUpdated: string }).lastUpdated).toBe(stamped);
      const subject = (r: Record<string, unknown>) => (r.subject as { reference: string }).reference;
      const ids = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.resourceType as string}/${r.id as string}`).sort();

      // Every Group for the Group level (activity falls on a few patients only), else the one URL.
      const everyTarget = target.members ? targets(await groupSearch('')) : [target];
      let seen = 0;
      for (const each of everyTarget) {
        const rows = await lines(await finish(await kick(method, each.url, since)));
        const expected = changed.filter((r) => !each.members || each.members.has(subject(r)));
        expect(ids(rows), each.url).toEqual(ids(expected));
        seen += rows.length;
      }
      expect(seen).toBeGreaterThan(0);
    });

    it('DELETE → 202, then the status URL answers 404 + OperationOutcome', async () => {
      const kickoff = await kick(method, target.url, [['_type', 'Patient']]);
      expect(kickoff.statusCode, kickoff.body).toBe(202);
      const location = pathOf(kickoff.headers['content-location'] as string);
      const cancel = await t.app.inject({ method: 'DELETE', url: location, headers: bearer(token) });
      expect(cancel.statusCode, cancel.body).toBe(202);
      expect(cancel.json().resourceType).toBe('OperationOutcome');
      expectOutcome(await t.app.inject({ method: 'GET', url: location, headers: bearer(token) }), 404, 'was cancelled', '_jobId');
      expectOutcome(await t.app.inject({ method: 'DELETE', url: location, headers: bearer(token) }), 404, 'was cancelled', '_jobId');
    });

    it.each(BAD_HEADERS)('%s → 400 naming the header', async (_what, headers, name, diagnostics) => {
      const type = headers.accept === 'application/json' ? 'application/json' : undefined;
      expectRefused(await kick(method, target.url, [['_type', 'Patient']], headers), name, diagnostics, type);
      await expectNoJob();
    });

    it.each(BAD_PARAMETERS)('%s → 400 naming the parameter', async (_what, params, name, diagnostics) => {
      expectRefused(await kick(method, target.url, params), name, diagnostics);
      await expectNoJob();
    });
  });
});
