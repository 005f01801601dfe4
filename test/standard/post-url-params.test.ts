// A POST kick-off without a body takes its parameters from the URL in the standard profile, as
// Medplum's MedplumClient.bulkExport sends it (POST, `_type`/`_since` in the query, no body,
// `Accept: application/fhir+json, */*; q=0.1`); a parameter given both in the URL and in the
// Parameters body is refused, naming it. The verto profile keeps its rules (docs/behaviour.md,
// "Kick-off").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, bearer, buildTestApp, getToken, type Manifest, type TestApp } from '../helper.js';
import { finish, groupSearch, t, token, useStandardApp } from './session.js';

/** The headers MedplumClient.startAsyncRequest sends on a kick-off. */
const MEDPLUM = { accept: 'application/fhir+json, */*; q=0.1', prefer: 'respond-async' };

const postUrl = (url: string, headers: Record<string, string> = {}, payload?: string) =>
  t.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...MEDPLUM, ...headers }, ...(payload === undefined ? {} : { payload }) });

const summary = (m: Manifest) => m.output.map((e) => [e.type, e.count]);

describe('standard profile', () => {
  useStandardApp();

  it.each(['system', 'Patient', 'Group'])('a body-less POST at %s level exports what the same GET exports', async (level) => {
    const path =
      level === 'system'
        ? `${BASE}/fhir/$export`
        : level === 'Patient'
          ? `${BASE}/fhir/Patient/$export`
          : `${BASE}/fhir/Group/${(await groupSearch('?name=patients%20of'))[0]!.id!}/$export`;
    const query = '?_type=Patient%2CCondition&_since=2020-01-01T00%3A00%3A00.000Z';
    const posted = await finish(await postUrl(`${path}${query}`));
    const got = await finish(await t.app.inject({ method: 'GET', url: `${path}${query}`, headers: { ...bearer(token), ...MEDPLUM } }));
    expect(posted.request).toBe(`http://localhost:80${path}${query}`);
    expect(posted.output.map((e) => e.type)).toEqual(expect.arrayContaining(['Patient', 'Condition']));
    expect(new Set(posted.output.map((e) => e.type))).toEqual(new Set(['Patient', 'Condition']));
    expect(summary(posted)).toEqual(summary(got));
    expect(posted.error).toEqual([]);
  });

  it('an empty body sent as application/fhir+json (or application/json) is no body', async () => {
    for (const type of ['application/fhir+json', 'application/json']) {
      const m = await finish(await postUrl(`${BASE}/fhir/$export?_type=Patient`, { 'content-type': type }, ''));
      expect(m.output.map((e) => e.type), type).toEqual(['Patient']);
    }
  });

  it('parameters split between the URL and the Parameters body are read from both', async () => {
    const res = await postUrl(
      `${BASE}/fhir/$export?_since=2020-01-01T00:00:00Z`,
      { 'content-type': 'application/fhir+json' },
      JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] }),
    );
    const m = await finish(res);
    expect(m.output.map((e) => e.type)).toEqual(['Patient']);
  });

  it('a parameter both in the URL and in the body → 400 naming each, and no job', async () => {
    const res = await postUrl(
      `${BASE}/fhir/$export?_type=Patient&_since=2020-01-01T00:00:00Z&_outputFormat=ndjson`,
      { 'content-type': 'application/fhir+json' },
      JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: '_type', valueString: 'Condition' },
          { name: '_since', valueInstant: '2021-01-01T00:00:00Z' },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(400);
    const issue = res.json().issue[0];
    expect(issue.code).toBe('invalid');
    expect(issue.diagnostics).toBe(
      'A POST kick-off gives each parameter once, in the URL or in the Parameters body: "_type", "_since" are in both.',
    );
    expect(issue.expression).toEqual(['_type']);
    expect(t.app.store.repos().jobs.unfinished()).toEqual([]);
  });

  it('a body-less POST is still checked like a GET: a bad URL parameter → 400 naming it', async () => {
    const res = await postUrl(`${BASE}/fhir/$export?_type=Banana`);
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['_type']);
  });
});

describe('verto profile', () => {
  let v: TestApp;
  let vToken: string;
  beforeEach(async () => {
    v = await buildTestApp();
    vToken = await getToken(v.app);
  });
  afterEach(async () => {
    await v.app.close();
  });

  it('keeps its rules: a POST takes a Parameters body, not URL parameters', async () => {
    const bodyless = await v.app.inject({ method: 'POST', url: `${BASE}/fhir/$export?_type=Patient`, headers: bearer(vToken) });
    expect(bodyless.statusCode).toBe(400);
    expect(bodyless.json().issue[0].diagnostics).toContain('takes its parameters in the Parameters body, not in the URL');
    const empty = await v.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(vToken), 'content-type': 'application/fhir+json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issue[0].diagnostics).toContain('it is empty');
  });
});
