// POST /oauth/token with grant_type=client_credentials (SMART Backend Services): the
// positives, and the negatives that Inferno's and SMART's BDT token-endpoint tests check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from 'jose';
import { BASE, T0, bearer, buildTestApp, seededDatabaseCopy, type TestApp } from '../helper.js';
import {
  BULK_HEADERS,
  ORIGIN,
  TOKEN_URL,
  credentialsForm,
  makeKey,
  requestToken,
  signAssertion,
  writeClientsFile,
  type AssertionOptions,
  type TestKey,
} from './smart-helper.js';

let rs: TestKey;
let es: TestKey;
let patientsOnly: TestKey;
let stranger: TestKey;
let clientsFile: string;
let t: TestApp;

const NOW_S = T0 / 1000;

beforeAll(async () => {
  [rs, es, patientsOnly, stranger] = await Promise.all([
    makeKey('RS384', 'rs-1'),
    makeKey('ES384', 'es-1'),
    makeKey('ES384', 'po-1'),
    makeKey('RS384', 'rs-1'), // same kid as the registered key, other key pair
  ]);
  clientsFile = writeClientsFile({
    'etl-client': { jwks: { keys: [rs.publicJwk, es.publicJwk] } },
    'patients-only': { jwks: { keys: [patientsOnly.publicJwk] }, scope: 'system/Patient.read' },
  });
  t = await buildTestApp({ PROFILE: 'standard', SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN });
});
afterAll(async () => {
  await t.app.close();
});

const tokenWith = async (opts: AssertionOptions = {}, scope = 'system/*.read', key = rs) =>
  requestToken(t.app, credentialsForm(await signAssertion(key, T0, opts), scope));

describe('client_credentials: tokens', () => {
  it.each([
    ['RS384', () => rs],
    ['ES384', () => es],
  ])('issues a token for an assertion signed with %s', async (_alg, key) => {
    const res = await tokenWith({}, 'system/*.read', key());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'system/*.read' });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['system/*.read', 'system/*.read'],
    ['system/*.rs', 'system/*.rs'],
    ['system/*.*', 'system/*.read'],
    ['system/*.cruds', 'system/*.rs'],
    ['system/Patient.*', 'system/Patient.read'],
    ['system/Patient.read  system/Condition.rs', 'system/Patient.read system/Condition.rs'],
    ['system/Patient.read system/Patient.read', 'system/Patient.read'],
  ])('scope "%s" is granted as "%s"', async (asked, granted) => {
    const res = await tokenWith({}, asked);
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toBe(granted);
  });

  it('limits a client to the scope it is pre-authorized for', async () => {
    const wide = await tokenWith({ clientId: 'patients-only' }, 'system/*.rs', patientsOnly);
    expect(wide.statusCode).toBe(200);
    expect(wide.json().scope).toBe('system/Patient.rs');
    const outside = await tokenWith({ clientId: 'patients-only' }, 'system/Condition.read', patientsOnly);
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toEqual({
      error: 'invalid_scope',
      error_description:
        '"patients-only" is not authorized for any of the requested scopes (system/Condition.read); it may ask for system/Patient.read.',
    });
  });

  it('accepts a client_id parameter that names the same client', async () => {
    const res = await requestToken(t.app, { ...credentialsForm(await signAssertion(rs, T0)), client_id: 'etl-client' });
    expect(res.statusCode).toBe(200);
  });

  it('accepts exp up to 300 s ahead plus 10 s of clock skew, not one second more', async () => {
    expect((await tokenWith({ claims: { exp: NOW_S + 310 } })).statusCode).toBe(200);
    const res = await tokenWith({ claims: { exp: NOW_S + 311 } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_description).toContain('more than five minutes');
  });

  it('gives a token that works on the FHIR paths', async () => {
    const token = (await tokenWith()).json().access_token as string;
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient`, headers: { ...bearer(token), ...BULK_HEADERS } });
    expect(res.statusCode).toBe(202);
  });

  it('keeps the password grant working beside it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'password', username: 'demo@example.com', password: 'demo' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
  });

  it('lets a token expire after SMART_TOKEN_TTL_SECONDS', async () => {
    const token = (await tokenWith()).json().access_token as string;
    const kick = () => t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient`, headers: { ...bearer(token), ...BULK_HEADERS } });
    t.clock.advance(299_000);
    expect((await kick()).statusCode).toBe(202);
    t.clock.advance(1_000);
    const res = await kick();
    expect(res.statusCode).toBe(401);
    expect(res.json().issue[0].diagnostics).toContain('expired');
    t.clock.set(T0);
  });
});

describe('client_credentials: replayed assertions', () => {
  it('refuses an assertion whose jti was already used, but not the same jti from another client', async () => {
    const jti = 'replayed-jti-1';
    const assertion = await signAssertion(rs, T0, { claims: { jti } });
    expect((await requestToken(t.app, credentialsForm(assertion))).statusCode).toBe(200);
    const again = await requestToken(t.app, credentialsForm(assertion));
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client_assertion\'s jti "replayed-jti-1" was already used; sign a new assertion, with a new jti, for each token request.',
    });
    const other = await tokenWith({ clientId: 'patients-only', claims: { jti } }, 'system/Patient.read', patientsOnly);
    expect(other.statusCode).toBe(200);
  });

  it('still refuses the replay after a restart (the jti is kept in the database)', async () => {
    const databasePath = await seededDatabaseCopy();
    const env = { PROFILE: 'standard', SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN, DATABASE_PATH: databasePath };
    const assertion = await signAssertion(rs, T0);
    const first = await buildTestApp(env);
    expect((await requestToken(first.app, credentialsForm(assertion))).statusCode).toBe(200);
    await first.app.close();
    const second = await buildTestApp(env);
    try {
      const res = await requestToken(second.app, credentialsForm(assertion));
      expect(res.statusCode).toBe(401);
      expect(res.json().error_description).toContain('already used');
    } finally {
      await second.app.close();
    }
  });
});

describe('client_credentials: refused requests', () => {
  it.each<[string, () => Promise<Record<string, string | undefined>>, number, string, string]>([
    ['an unsupported grant_type', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), grant_type: 'authorization_code' }), 400, 'unsupported_grant_type', 'use "password" or "client_credentials"'],
    ['no grant_type', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), grant_type: undefined }), 400, 'invalid_request', 'grant_type is required'],
    ['a bad client_assertion_type', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), client_assertion_type: 'not_an_assertion_type' }), 400, 'invalid_request', 'client_assertion_type "not_an_assertion_type" is not supported'],
    ['no client_assertion_type', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), client_assertion_type: undefined }), 400, 'invalid_request', 'client_assertion_type is required'],
    ['no client_assertion', async () => ({ ...credentialsForm(''), client_assertion: undefined }), 400, 'invalid_request', 'client_assertion is required'],
    ['no scope', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), scope: undefined }), 400, 'invalid_request', 'scope is required'],
    ['an empty scope', async () => credentialsForm(await signAssertion(rs, T0), ''), 400, 'invalid_scope', 'scope is empty'],
    ['non-system scopes', async () => credentialsForm(await signAssertion(rs, T0), 'launch fhirUser'), 400, 'invalid_scope', '"launch" is not a system scope'],
    ['a patient/ scope', async () => credentialsForm(await signAssertion(rs, T0), 'patient/*.read'), 400, 'invalid_scope', 'a backend service asks for system/ scopes'],
    ['an unknown action', async () => credentialsForm(await signAssertion(rs, T0), 'system/Patient.unknownAction'), 400, 'invalid_scope', '"unknownAction" is not a permission'],
    ['an unknown resource type', async () => credentialsForm(await signAssertion(rs, T0), 'system/UnknownResource.read'), 400, 'invalid_scope', 'UnknownResource is not a resource type'],
    ['a write-only scope', async () => credentialsForm(await signAssertion(rs, T0), 'system/Patient.write'), 400, 'invalid_scope', 'grants no read access'],
    ['a read without search (v2)', async () => credentialsForm(await signAssertion(rs, T0), 'system/Patient.r'), 400, 'invalid_scope', 'needs both r and s'],
    ['a scope with search parameters', async () => credentialsForm(await signAssertion(rs, T0), 'system/Observation.rs?category=laboratory'), 400, 'invalid_scope', 'narrowed by search parameters'],
    ['a client_id that is not the assertion\'s iss', async () => ({ ...credentialsForm(await signAssertion(rs, T0)), client_id: 'patients-only' }), 401, 'invalid_client', 'does not match the assertion\'s iss'],
  ])('%s → %i %s', async (_case, form, status, error, description) => {
    const res = await requestToken(t.app, await form());
    expect(res.statusCode).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error).toBe(error);
    expect(body.error_description).toContain(description);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['a bad signature (another key pair under the registered kid)', () => signAssertion(stranger, T0), 'The signature does not verify with the key "rs-1"'],
    ['a wrong aud', () => signAssertion(rs, T0, { claims: { aud: 'test-bad-aud-value' } }), `aud must be this token endpoint's URL, "${TOKEN_URL}"`],
    ['an expired assertion', () => signAssertion(rs, T0, { claims: { exp: NOW_S - 1 } }), 'client_assertion expired at 2026-02-28T23:59:59.000Z (exp)'],
    ['an assertion expiring now', () => signAssertion(rs, T0, { claims: { exp: NOW_S } }), 'expired'],
    ['exp more than five minutes ahead', () => signAssertion(rs, T0, { claims: { exp: NOW_S + 3600 } }), 'is more than five minutes after now'],
    ['no exp', () => signAssertion(rs, T0, { claims: { exp: undefined } }), 'client_assertion has no "exp" claim'],
    ['no jti', () => signAssertion(rs, T0, { claims: { jti: undefined } }), 'client_assertion has no "jti" claim'],
    ['an empty jti', () => signAssertion(rs, T0, { claims: { jti: '' } }), '"jti" claim must be a non-empty string'],
    ['an unknown kid', () => signAssertion(rs, T0, { header: { kid: 'no-such-key' } }), 'No key in the key set registered for "etl-client" has kid "no-such-key"'],
    ['no kid', () => signAssertion(rs, T0, { header: { kid: undefined } }), 'has no kid in its header'],
    ['a kid naming a key of the other algorithm', () => signAssertion(rs, T0, { header: { kid: 'es-1' } }), 'has kid "es-1" and fits alg RS384'],
    ['no typ', () => signAssertion(rs, T0, { header: { typ: undefined } }), 'typ must be "JWT"'],
    ['an unknown client', () => signAssertion(rs, T0, { clientId: 'test-bad-client-id' }), 'No client "test-bad-client-id" is registered'],
    ['an iss that is not the registered client', () => signAssertion(rs, T0, { claims: { iss: 'test-iss-value' } }), 'No client "test-iss-value" is registered'],
    ['sub different from iss', () => signAssertion(rs, T0, { claims: { sub: 'someone-else' } }), 'sub ("someone-else") must equal its iss'],
    ['a jku with inline keys', () => signAssertion(rs, T0, { header: { jku: 'test-bad-jku' } }), 'registered its keys inline'],
    ['alg RS256', async () => signAssertion(rs, T0, { header: { alg: 'RS256' }, signWith: (await generateKeyPair('RS256')).privateKey }), 'signed with alg "RS256"; this server accepts RS384 and ES384'],
    ['alg HS256 (a shared secret)', () => signAssertion(rs, T0, { header: { alg: 'HS256' }, signWith: new TextEncoder().encode('x'.repeat(32)) }), 'signed with alg "HS256"'],
    ['something that is not a JWT', async () => 'not-a-jwt', 'is not a signed JWT'],
  ])('%s → 401 invalid_client', async (_case, assertion, description) => {
    const res = await requestToken(t.app, credentialsForm(await assertion()));
    expect(res.statusCode).toBe(401);
    // The assertion travels in the body, under no HTTP authentication scheme to challenge.
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.json().error).toBe('invalid_client');
    expect(res.json().error_description).toContain(description);
  });

  it('refuses a JSON body: SMART token requests are forms', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { ...credentialsForm(await signAssertion(rs, T0)) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'A client_credentials token request is sent as application/x-www-form-urlencoded, as SMART Backend Services requires.',
    });
  });

  it('refuses a repeated parameter', async () => {
    const form = new URLSearchParams(credentialsForm(await signAssertion(rs, T0)) as Record<string, string>);
    form.append('scope', 'system/Patient.read');
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: '"scope" must be given once, as a string.' });
  });
});

describe('client_credentials elsewhere', () => {
  it('is refused in the verto profile, naming the profile', async () => {
    const verto = await buildTestApp({ SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN });
    try {
      const res = await requestToken(verto.app, credentialsForm(await signAssertion(rs, T0)));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('unsupported_grant_type');
      expect(res.json().error_description).toContain('standard profile only (PROFILE=standard)');
    } finally {
      await verto.app.close();
    }
  });

  it('says so when no client is registered', async () => {
    const bare = await buildTestApp({ PROFILE: 'standard', PUBLIC_BASE_URL: ORIGIN });
    try {
      const res = await requestToken(bare.app, credentialsForm(await signAssertion(rs, T0)));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: 'invalid_client',
        error_description: 'No SMART clients are registered with this server; register yours in the file named by SMART_CLIENTS.',
      });
    } finally {
      await bare.app.close();
    }
  });

  it('without PUBLIC_BASE_URL, expects aud to be the token URL the request was sent to', async () => {
    const proxied = await buildTestApp({ PROFILE: 'standard', SMART_CLIENTS: clientsFile });
    try {
      const send = async (aud: string) =>
        requestToken(proxied.app, credentialsForm(await signAssertion(rs, T0, { claims: { aud } })), { host: 'mock.example:8080' });
      expect((await send('http://mock.example:8080/oauth/token')).statusCode).toBe(200);
      const res = await send(TOKEN_URL);
      expect(res.statusCode).toBe(401);
      expect(res.json().error_description).toContain('"http://mock.example:8080/oauth/token"');
    } finally {
      await proxied.app.close();
    }
  });
});
