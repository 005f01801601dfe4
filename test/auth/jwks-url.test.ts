// Clients that register a JWKS URL: the key set is fetched when an assertion needs it (here
// from a loopback server the test starts on a free port), `jku` must name that URL, and a
// rotated key is picked up without a restart.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import { T0, buildTestApp, type TestApp } from '../helper.js';
import { ORIGIN, credentialsForm, makeKey, requestToken, signAssertion, writeClientsFile, type TestKey } from './smart-helper.js';

let first: TestKey;
let rotated: TestKey;
let unpublished: TestKey;
let published: JWK[];
let fetches = 0;
let server: Server;
let jwksUrl: string;
let t: TestApp;

beforeAll(async () => {
  [first, rotated, unpublished] = await Promise.all([
    makeKey('RS384', 'key-2026-01'),
    makeKey('ES384', 'key-2026-02'),
    makeKey('ES384', 'key-2026-03'),
  ]);
  published = [first.publicJwk];
  server = createServer((req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const clientsFile = writeClientsFile({ 'remote-client': { jwks_url: jwksUrl } });
  t = await buildTestApp({ PROFILE: 'standard', SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN });
});
afterAll(async () => {
  await t.app.close();
  if (server.listening) await new Promise((resolve) => server.close(resolve));
});

const ask = async (key: TestKey, header: Record<string, unknown> = {}) =>
  requestToken(t.app, credentialsForm(await signAssertion(key, T0, { clientId: 'remote-client', header })));

describe('a client registered by JWKS URL', () => {
  it('is not fetched until an assertion needs it, then authenticates', async () => {
    expect(fetches).toBe(0);
    const res = await ask(first);
    expect(res.statusCode).toBe(200);
    expect(fetches).toBe(1);
  });

  it('accepts a jku header naming the registered URL, and refuses any other', async () => {
    expect((await ask(first, { jku: jwksUrl })).statusCode).toBe(200);
    const res = await ask(first, { jku: 'https://attacker.example/jwks.json' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_description).toBe(
      `The jku header "https://attacker.example/jwks.json" is not the JWKS URL registered for "remote-client" (${jwksUrl}).`,
    );
  });

  it('picks up a rotated key by fetching the set again', async () => {
    published = [rotated.publicJwk];
    expect((await ask(rotated)).statusCode).toBe(200);
    expect(fetches).toBe(2);
  });

  it('refuses, as invalid_client, when the key set cannot be fetched', async () => {
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    // A kid the cached set lacks makes the server fetch again, and that fetch now fails.
    const res = await ask(unpublished);
    expect(res.statusCode).toBe(401);
    expect(res.json().error_description).toContain(`The key set of "remote-client" could not be fetched from ${jwksUrl}`);
  });
});
