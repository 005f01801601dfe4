// The SMART_CLIENTS file: what it may hold, and the messages that stop a start when it is wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { loadClientRegistry } from '../../src/auth/client-registry.js';
import { ConfigError } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import { recordContract } from '../contract/recorder.js';
import { seededDatabaseCopy, testConfig } from '../helper.js';
import { makeKey, writeClientsFile, type TestKey } from './smart-helper.js';

let rs: TestKey;
let es: TestKey;
beforeAll(async () => {
  [rs, es] = await Promise.all([makeKey('RS384', 'rs-1'), makeKey('ES384', 'es-1')]);
});

async function failure(content: unknown): Promise<string> {
  const path = writeClientsFile(content);
  const err = await loadClientRegistry(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as Error).message;
  expect(message.startsWith(`SMART_CLIENTS=${JSON.stringify(path)}: `)).toBe(true);
  return message;
}

describe('loadClientRegistry', () => {
  it('registers no client when SMART_CLIENTS is unset', async () => {
    expect((await loadClientRegistry(undefined)).size).toBe(0);
  });

  it('registers clients with inline keys or a JWKS URL, and their pre-authorized scope', async () => {
    const registry = await loadClientRegistry(
      writeClientsFile({
        'etl-client': { jwks: { keys: [rs.publicJwk, es.publicJwk] } },
        'remote-client': { jwks_url: 'https://client.example/jwks.json', scope: 'system/Patient.rs' },
      }),
    );
    expect([...registry.keys()]).toEqual(['etl-client', 'remote-client']);
    expect(registry.get('etl-client')).toMatchObject({ id: 'etl-client', jwksUrl: undefined, preAuthorized: undefined });
    expect(registry.get('remote-client')).toMatchObject({
      jwksUrl: 'https://client.example/jwks.json',
      preAuthorized: [{ type: 'Patient', syntax: 'v2' }],
    });
  });

  it('accepts keys without alg, taking it from kty', async () => {
    const { alg: _alg, ...bare } = rs.publicJwk;
    expect((await loadClientRegistry(writeClientsFile({ c: { jwks: { keys: [bare] } } }))).size).toBe(1);
  });

  it('says when the file cannot be read', async () => {
    const err = await loadClientRegistry('/nonexistent/clients.json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('SMART_CLIENTS="/nonexistent/clients.json": cannot read the client file as JSON (ENOENT');
  });

  it('says when the file is not JSON', async () => {
    expect(await failure('{"etl-client": ')).toContain('cannot read the client file as JSON');
  });

  it.each<[string, () => unknown, string]>([
    ['a client with neither keys nor URL', () => ({ c: {} }), 'c: give the public keys either inline'],
    ['a client with both', () => ({ c: { jwks: { keys: [rs.publicJwk] }, jwks_url: 'https://x.example/jwks' } }), 'exactly one of them'],
    ['an empty key set', () => ({ c: { jwks: { keys: [] } } }), 'c.jwks.keys: the key set has no keys'],
    ['a key without kid', () => ({ c: { jwks: { keys: [{ ...rs.publicJwk, kid: undefined }] } } }), 'every key needs a "kid"'],
    ['an oct key', () => ({ c: { jwks: { keys: [{ kty: 'oct', kid: 'k', k: 'c2VjcmV0' }] } } }), 'kty must be "RSA" (for RS384) or "EC" (for ES384)'],
    ['an RS256 key', () => ({ c: { jwks: { keys: [{ ...rs.publicJwk, alg: 'RS256' }] } } }), 'alg, when given, must be RS384 or ES384'],
    ['a ftp JWKS URL', () => ({ c: { jwks_url: 'ftp://x.example/jwks' } }), 'jwks_url must be an http(s) URL'],
    ['an unknown field', () => ({ c: { jwks: { keys: [rs.publicJwk] }, secret: 'x' } }), 'Unrecognized key: "secret"'],
    ['a list instead of a map', () => [{ client_id: 'c' }], '(file): '],
  ])('refuses %s', async (_case, content, message) => {
    expect(await failure(content())).toContain(message);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a private key', async () => ({ c: { jwks: { keys: [{ ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey)), kid: 'p' }] } } }), '  c: key "p" holds private key material ("d"); register only the public key'],
    ['a P-256 key', async () => ({ c: { jwks: { keys: [{ ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'p256' }] } } }), '  c: key "p256" must be on curve P-384 for ES384'],
    ['an RSA key marked ES384', async () => ({ c: { jwks: { keys: [{ ...rs.publicJwk, alg: 'ES384' }] } } }), '  c: key "rs-1": alg ES384 does not fit kty RSA'],
    ['a duplicate kid', async () => ({ c: { jwks: { keys: [rs.publicJwk, { ...es.publicJwk, kid: 'rs-1' }] } } }), '  c: key "rs-1" appears twice'],
    ['a broken key', async () => ({ c: { jwks: { keys: [{ ...rs.publicJwk, n: 'AQAB', e: undefined }] } } }), '  c: key "rs-1" is not a usable public key'],
    ['a scope it cannot grant', async () => ({ c: { jwks: { keys: [rs.publicJwk] }, scope: 'user/*.read' } }), '  c: scope: "user/*.read": a backend service asks for system/ scopes'],
  ])('refuses %s', async (_case, content, message) => {
    expect(await failure(await content())).toContain(message);
  });

  it('stops the server from starting', async () => {
    const app = buildApp(testConfig({ PROFILE: 'standard', SMART_CLIENTS: writeClientsFile({ c: {} }), DATABASE_PATH: await seededDatabaseCopy() }), {
      logger: false,
    });
    // Contract: any response this app sent would be checked against openapi/openapi.yaml.
    recordContract(app);
    await expect(app.ready()).rejects.toThrow(ConfigError);
    await app.close();
  });
});
