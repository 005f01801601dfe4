// The API document works with Stoplight Prism unchanged (docs/clients.md, "Stoplight Prism"):
// `prism proxy` validates every exchange of the happy path and of the documented refusals
// against the document, in front of a started server of each profile, and reports no violation
// of a request the document calls valid and none of any response; `prism mock` answers a kick-off.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../src/fhir/r4.js';
import { BASE, buildTestApp, parseNdjson, type Manifest, type TestApp } from '../helper.js';
import { startPrism, stopAllPrisms, violations, type Prism } from './prism.js';

const START = 60_000;

afterAll(() => {
  stopAllPrisms();
});

interface Proxied {
  t: TestApp;
  prism: Prism;
  token: string;
}

/**
 * `refusal`: the status the server must answer instead of success. `invalid`: the document itself
 * calls the request wrong (no token, a type it does not list, ...), so Prism may say so.
 */
interface SendInit {
  headers?: Record<string, string>;
  body?: string;
  refusal?: number;
  invalid?: boolean;
}
type Send = (method: string, path: string, init?: SendInit) => Promise<Response>;

/** A started server of `profile` behind `prism proxy`, and a token obtained through the proxy. */
function useProxiedServer(profile: 'standard' | 'verto'): { ctx: () => Proxied; send: Send } {
  let proxied: Proxied | undefined;
  beforeAll(async () => {
    const t = await buildTestApp({ PROFILE: profile });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    const prism = await startPrism('proxy', `http://127.0.0.1:${port}`);
    proxied = { t, prism, token: '' };
    const res = await send('POST', '/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: t.config.auth.username, password: t.config.auth.password }).toString(),
    });
    proxied.token = ((await res.json()) as { access_token: string }).access_token;
  }, START);
  afterAll(async () => {
    proxied?.prism.stop();
    await proxied?.t.app.close();
  });

  const current = () => proxied!;

  /** One request through Prism: any violation of the response fails the test, and any of the request unless it is `invalid`. */
  async function send(method: string, path: string, init: SendInit = {}) {
    const { prism } = current();
    const res = await fetch(new URL(path, prism.origin), { method, headers: init.headers, body: init.body });
    expect(prism.running(), prism.output()).toBe(true);
    const found = violations(res);
    if (init.refusal === undefined) expect(res.status, `${method} ${path}`).toBeLessThan(400);
    else expect(res.status, `${method} ${path}`).toBe(init.refusal);
    if (init.invalid) expect(found.request, `${method} ${path}: Prism finds nothing wrong with it`).not.toEqual([]);
    else expect(found.request, `${method} ${path}`).toEqual([]);
    expect(found.response, `${method} ${path}`).toEqual([]);
    return res;
  }
  return { ctx: current, send };
}

/** The path and query of a URL the server made (Prism forwards with the upstream's Host). */
const local = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** Kick-off → polls (the test's clock moved by each Retry-After) → manifest, all through Prism. */
async function exportThrough(ctx: Proxied, send: Send, kick: Response): Promise<Manifest> {
  expect(kick.status).toBe(202);
  const poll = local(kick.headers.get('content-location')!);
  const auth = { authorization: `Bearer ${ctx.token}` };
  for (let i = 0; i < 100; i++) {
    const res = await send('GET', poll, { headers: auth });
    if (res.status === 200) return (await res.json()) as Manifest;
    expect(res.status).toBe(202);
    ctx.t.clock.advance(Number(res.headers.get('retry-after')) * 1000);
    await sleep(5);
  }
  throw new Error(`the job at ${poll} was still running after 100 polls`);
}

/** Every file of a manifest (its error files too), downloaded through Prism, identity and gzip: each count as the manifest says. */
async function downloadAll(ctx: Proxied, send: Send, manifest: Manifest, fileUrl: (url: string) => string): Promise<void> {
  expect(manifest.output.length).toBeGreaterThan(0);
  for (const entry of [...manifest.output, ...manifest.error]) {
    for (const encoding of ['identity', 'gzip']) {
      const res = await send('GET', fileUrl(entry.url), { headers: { authorization: `Bearer ${ctx.token}`, 'accept-encoding': encoding } });
      expect(parseNdjson(await res.text())).toHaveLength(entry.count);
    }
  }
}

describe('prism proxy, standard profile', () => {
  const { ctx, send } = useProxiedServer('standard');
  const auth = () => ({ authorization: `Bearer ${ctx().token}` });
  const async = () => ({ ...auth(), accept: 'application/fhir+json', prefer: 'respond-async' });

  it('discovery: the SMART configuration and the CapabilityStatement', async () => {
    await send('GET', `${BASE}/fhir/.well-known/smart-configuration`);
    await send('GET', `${BASE}/fhir/metadata`, { headers: { accept: 'application/fhir+json' } });
  });

  it('system level, GET: kick-off, polls, manifest, every file', async () => {
    const kick = await send('GET', `${BASE}/fhir/$export?_type=Patient,Condition&_since=2020-01-01T00:00:00Z`, { headers: async() });
    const manifest = await exportThrough(ctx(), send, kick);
    await downloadAll(ctx(), send, manifest, local);
  });

  it('Patient level, POST with a Parameters body', async () => {
    const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient,AllergyIntolerance' }] });
    const kick = await send('POST', `${BASE}/fhir/Patient/$export`, { headers: { ...async(), 'content-type': 'application/fhir+json' }, body });
    await downloadAll(ctx(), send, await exportThrough(ctx(), send, kick), local);
  });

  it('system level, POST with the parameters in the URL and no body (as Medplum sends it)', async () => {
    const kick = await send('POST', `${BASE}/fhir/$export?_type=Patient&_since=2020-01-01T00:00:00Z`, { headers: async() });
    await downloadAll(ctx(), send, await exportThrough(ctx(), send, kick), local);
  });

  it('lenient handling: an unknown type and an unsupported parameter are ignored, and reported', async () => {
    const headers = { ...async(), prefer: 'respond-async, handling=lenient' };
    const kick = await send('GET', `${BASE}/fhir/$export?_type=Patient,NoSuchType&includeAssociatedData=_NoSuchValue`, { headers });
    const manifest = await exportThrough(ctx(), send, kick);
    expect(manifest.error.length).toBeGreaterThan(0);
    await downloadAll(ctx(), send, manifest, local);
  });

  it('Group level, after finding the Group by name', async () => {
    const search = await send('GET', `${BASE}/fhir/Group?name=patients%20of`, { headers: auth() });
    const group = ((await search.json()) as { entry: { resource: Group }[] }).entry[0]!.resource;
    await send('GET', `${BASE}/fhir/Group/${group.id}`, { headers: auth() });
    const kick = await send('GET', `${BASE}/fhir/Group/${group.id}/$export?_type=Patient,Observation&_elements=id,status`, { headers: async() });
    await downloadAll(ctx(), send, await exportThrough(ctx(), send, kick), local);
  });

  it('a chosen scenario, then cancel: DELETE answers 202 and the job is gone', async () => {
    const kick = await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...async(), 'x-mock-scenario': 'slow, poll-transient' } });
    const poll = local(kick.headers.get('content-location')!);
    await send('DELETE', poll, { headers: auth() });
    await send('GET', poll, { headers: auth(), refusal: 404 });
  });

  it('the documented refusals answer as the document says', async () => {
    // Prism validates: it names what the document refuses in this request.
    const noToken = await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { accept: 'application/fhir+json', prefer: 'respond-async' }, refusal: 401, invalid: true });
    expect(violations(noToken).request.map((v) => v.code)).toContain(401);
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...auth(), accept: 'application/fhir+json' }, refusal: 400 });
    await send('GET', `${BASE}/fhir/$export?_type=NoSuchType`, { headers: async(), refusal: 400 });
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...async(), 'x-mock-scenario': 'no-such-scenario' }, refusal: 400 });
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...async(), 'x-mock-scenario': 'kickoff-error' }, refusal: 500 });
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...async(), 'x-mock-scenario': 'kickoff-throttled' }, refusal: 429 });
    await send('POST', `${BASE}/fhir/$export`, { headers: { ...async(), 'content-type': 'text/plain' }, body: 'Patient', refusal: 415, invalid: true });
    await send('GET', `${BASE}/fhir/$export-poll-status?_jobId=00000000-0000-4000-8000-000000000000`, { headers: auth(), refusal: 404 });
    await send('GET', `${BASE}/file/00000000-0000-4000-8000-000000000000/download`, { headers: auth(), refusal: 404 });
    await send('GET', `${BASE}/fhir/Group/00000000-0000-4000-8000-000000000000/$export`, { headers: async(), refusal: 404 });
    const wrongPassword = new URLSearchParams({ grant_type: 'password', username: 'demo@example.com', password: 'wrong' }).toString();
    await send('POST', '/oauth/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: wrongPassword, refusal: 400 });
  });
});

describe('prism proxy, verto profile', () => {
  const { ctx, send } = useProxiedServer('verto');
  const auth = () => ({ authorization: `Bearer ${ctx().token}` });

  it('kick-off, polls, manifest, every file (its url appended to the base)', async () => {
    const kick = await send('GET', `${BASE}/fhir/$export?_type=Patient,Immunization`, { headers: auth() });
    const manifest = await exportThrough(ctx(), send, kick);
    await downloadAll(ctx(), send, manifest, (url) => `${BASE}${url}`);
  });

  it('POST with a Parameters body, then cancel', async () => {
    const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] });
    const kick = await send('POST', `${BASE}/fhir/$export`, { headers: { ...auth(), 'content-type': 'application/fhir+json' }, body });
    await send('DELETE', local(kick.headers.get('content-location')!), { headers: auth() });
  });

  it('the documented refusals answer as the document says', async () => {
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { refusal: 401, invalid: true });
    await send('GET', `${BASE}/fhir/$export?_type=NoSuchType`, { headers: auth(), refusal: 400 });
    await send('GET', `${BASE}/fhir/$export?_type=Patient&_since=2020-01-01T00:00:00Z`, { headers: auth(), refusal: 400 });
    await send('GET', `${BASE}/fhir/$export?_type=Patient`, { headers: { ...auth(), 'x-mock-scenario': 'kickoff-throttled' }, refusal: 429 });
    await send('GET', `${BASE}/fhir/$export-poll-status?_jobId=00000000-0000-4000-8000-000000000000`, { headers: auth(), refusal: 404 });
    await send('GET', `${BASE}/fhir/metadata`, { headers: auth(), refusal: 404 });
  });
});

describe('prism mock', () => {
  let prism: Prism;
  beforeAll(async () => {
    prism = await startPrism('mock');
  }, START);
  afterAll(() => prism?.stop());

  it('answers a kick-off, with and without X-Mock-Scenario, as the document describes it', async () => {
    const headers = { authorization: 'Bearer any', accept: 'application/fhir+json', prefer: 'respond-async' };
    for (const extra of [{}, { 'x-mock-scenario': 'slow' }] as Record<string, string>[]) {
      const res = await fetch(`${prism.origin}${BASE}/fhir/$export?_type=Patient`, { headers: { ...headers, ...extra } });
      expect(res.status).toBe(202);
      expect(res.headers.get('content-location')).toMatch(/\/fhir\/\$export-poll-status\?_jobId=/);
      expect(violations(res)).toEqual({ request: [], response: [] });
    }
    expect(prism.running(), prism.output()).toBe(true);
  });
});
