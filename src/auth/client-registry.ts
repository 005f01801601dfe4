// The SMART Backend Services clients this server knows, read once at start from the JSON file
// named by SMART_CLIENTS. Registration follows SMART's `client-confidential-asymmetric`
// profile: each client id maps to its public keys, given inline (`jwks`) or as a URL to fetch
// them from (`jwks_url`, fetched only when an assertion needs it), and optionally to the
// scope it is pre-authorized for (`scope`; absent = every type). A bad file stops the start
// with a message naming the client and what is wrong, rather than failing every token request.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { ScopeError, parseScopes, type Scope } from './scopes.js';

export interface RegisteredClient {
  id: string;
  /** The JWKS URL it registered; undefined when its keys were given inline. */
  jwksUrl: string | undefined;
  /** Finds the key an assertion's header (kid, alg) names. */
  getKey: JWTVerifyGetKey;
  /** The scopes it is pre-authorized for; undefined = every type. */
  preAuthorized: Scope[] | undefined;
}

export type ClientRegistry = ReadonlyMap<string, RegisteredClient>;

/** Algorithms SMART asks servers to verify, and the only ones accepted here. */
export const SIGNING_ALGORITHMS = ['RS384', 'ES384'] as const;

const jwkSchema = z.looseObject({
  kty: z.enum(['RSA', 'EC'], { error: 'kty must be "RSA" (for RS384) or "EC" (for ES384)' }),
  kid: z.string({ error: 'every key needs a "kid", which assertions name in their header' }).min(1),
  alg: z.enum(SIGNING_ALGORITHMS, { error: 'alg, when given, must be RS384 or ES384' }).optional(),
});

const clientSchema = z
  .strictObject({
    jwks: z.strictObject({ keys: z.array(jwkSchema).min(1, 'the key set has no keys') }).optional(),
    jwks_url: z.url({ protocol: /^https?$/, error: 'jwks_url must be an http(s) URL' }).optional(),
    scope: z.string().optional(),
  })
  .refine((c) => (c.jwks === undefined) !== (c.jwks_url === undefined), {
    error: 'give the public keys either inline ("jwks": {"keys": [...]}) or as "jwks_url", exactly one of them',
  });

const fileSchema = z.record(z.string().min(1, 'a client id cannot be empty'), clientSchema);

type ClientEntry = z.infer<typeof clientSchema>;

const defaultAlg = (jwk: z.infer<typeof jwkSchema>) => jwk.alg ?? (jwk.kty === 'RSA' ? 'RS384' : 'ES384');

/** Checks an inline key set; returns what is wrong with it. */
async function keyProblems(keys: z.infer<typeof jwkSchema>[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const jwk of keys) {
    const where = `key "${jwk.kid}"`;
    if (seen.has(jwk.kid)) problems.push(`${where} appears twice; each kid must be unique in the set`);
    seen.add(jwk.kid);
    if ('d' in jwk) {
      problems.push(`${where} holds private key material ("d"); register only the public key`);
      continue;
    }
    if (jwk.kty === 'EC' && jwk.crv !== 'P-384') problems.push(`${where} must be on curve P-384 for ES384`);
    if ((jwk.kty === 'RSA') !== (defaultAlg(jwk) === 'RS384')) problems.push(`${where}: alg ${jwk.alg} does not fit kty ${jwk.kty}`);
    try {
      await importJWK(jwk as JWK, defaultAlg(jwk));
    } catch (err) {
      problems.push(`${where} is not a usable public key (${(err as Error).message})`);
    }
  }
  return problems;
}

async function register(id: string, entry: ClientEntry): Promise<RegisteredClient | string[]> {
  let preAuthorized: Scope[] | undefined;
  const problems: string[] = [];
  if (entry.scope !== undefined) {
    try {
      preAuthorized = parseScopes(entry.scope);
    } catch (err) {
      if (!(err instanceof ScopeError)) throw err;
      problems.push(`scope: ${err.message}`);
    }
  }
  if (entry.jwks) problems.push(...(await keyProblems(entry.jwks.keys)));
  if (problems.length > 0) return problems;
  const getKey = entry.jwks
    ? createLocalJWKSet(entry.jwks as { keys: JWK[] })
    : createRemoteJWKSet(new URL(entry.jwks_url!), {
        timeoutDuration: 5000,
        // A kid the cached set lacks makes jose fetch the set again at once, so a client may
        // rotate its keys at any time by publishing a new one (SMART's reason for JWKS URLs).
        cooldownDuration: 0,
        headers: { accept: 'application/json' },
      });
  return { id, jwksUrl: entry.jwks_url, getKey, preAuthorized };
}

/** Reads and checks the SMART_CLIENTS file; no file = no clients. Throws ConfigError. */
export async function loadClientRegistry(path: string | undefined): Promise<ClientRegistry> {
  const clients = new Map<string, RegisteredClient>();
  if (path === undefined) return clients;
  const fail = (detail: string) => new ConfigError(`SMART_CLIENTS=${JSON.stringify(path)}: ${detail}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw fail(`cannot read the client file as JSON (${(err as Error).message}).`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(file)'}: ${i.message}`);
    throw fail(`the client file is not valid:\n${lines.join('\n')}\nExpected {"<client id>": {"jwks": {"keys": [<public JWK>...]}} or {"jwks_url": "https://..."}}, ...}.`);
  }
  const problems: string[] = [];
  for (const [id, entry] of Object.entries(parsed.data)) {
    const client = await register(id, entry);
    if (Array.isArray(client)) problems.push(...client.map((p) => `  ${id}: ${p}`));
    else clients.set(id, client);
  }
  if (problems.length > 0) throw fail(`the client file is not valid:\n${problems.join('\n')}`);
  return clients;
}
