// Keys, client files and signed assertions for the SMART Backend Services tests. Keys are
// generated at test time; nothing is fetched except from a loopback server a test starts.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTHeaderParameters } from 'jose';
import { scratchFolder } from '../scratch.js';

export const ORIGIN = 'http://127.0.0.1:3000';
export const TOKEN_URL = `${ORIGIN}/oauth/token`;
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TestKey {
  alg: 'RS384' | 'ES384';
  kid: string;
  privateKey: CryptoKey;
  /** The public half as a JWK, with kid and alg, as a client registers it. */
  publicJwk: JWK;
}

export async function makeKey(alg: 'RS384' | 'ES384', kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

const scratch = scratchFolder('smart-clients');
let files = 0;

/** Writes a SMART_CLIENTS file and returns its path. */
export function writeClientsFile(content: unknown): string {
  const path = join(scratch, `clients-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

export interface AssertionOptions {
  clientId?: string;
  /** Claims to set or, with `undefined`, to leave out. */
  claims?: Record<string, unknown>;
  /** Header parameters to set or, with `undefined`, to leave out. */
  header?: Partial<Record<keyof JWTHeaderParameters, unknown>>;
  /** Sign with this key instead (the header still names `key`'s kid unless overridden). */
  signWith?: CryptoKey | Uint8Array;
}

/** A client assertion as a SMART backend service makes it, at `nowMs`, valid for 300 s. */
export async function signAssertion(key: TestKey, nowMs: number, opts: AssertionOptions = {}): Promise<string> {
  const clientId = opts.clientId ?? 'etl-client';
  const claims: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: TOKEN_URL,
    exp: Math.floor(nowMs / 1000) + 300,
    jti: randomUUID(),
    ...opts.claims,
  };
  const header = { alg: key.alg, kid: key.kid, typ: 'JWT', ...opts.header } as JWTHeaderParameters;
  return new SignJWT(claims).setProtectedHeader(header).sign(opts.signWith ?? key.privateKey);
}

/** POST /oauth/token as a form; `undefined` parameters are left out. */
export function requestToken(app: FastifyInstance, params: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.append(k, v);
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** The form of a valid client_credentials request around `assertion`. */
export const credentialsForm = (assertion: string, scope = 'system/*.read'): Record<string, string | undefined> => ({
  grant_type: 'client_credentials',
  client_assertion_type: JWT_BEARER,
  client_assertion: assertion,
  scope,
});

/** A token for `key`'s client with `scope`; fails loudly if refused. */
export async function smartToken(app: FastifyInstance, key: TestKey, nowMs: number, scope: string, clientId?: string): Promise<string> {
  const res = await requestToken(app, credentialsForm(await signAssertion(key, nowMs, { clientId }), scope));
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** Kick-off headers a standard Bulk Data client sends. */
export const BULK_HEADERS = { accept: 'application/fhir+json', prefer: 'respond-async' };
