// Verifies a SMART Backend Services authentication JWT (SMART App Launch 2.0,
// client-confidential-asymmetric, "Signature Verification"; RFC 7523 §3): header `alg`
// RS384/ES384, `kid` and `typ: JWT`; `iss` = `sub` = a registered client id; `aud` = this
// token endpoint's URL; `exp` present, not passed and at most five minutes ahead; `jti`
// present. Every failure is `invalid_client`, with a description saying what to fix. The
// jti's single use is checked by the caller, once the assertion is known to be genuine.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { invalidClient } from './oauth-error.js';
import { SIGNING_ALGORITHMS, type ClientRegistry, type RegisteredClient } from './client-registry.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART: "exp ... SHALL be no more than five minutes in the future". */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/**
 * Allowed on that limit only: clients round `now + 300` to whole seconds, and their clock may
 * run a little ahead of this server's. An `exp` already passed is never accepted.
 */
export const ASSERTION_CLOCK_SKEW_SECONDS = 10;

export interface VerifiedAssertion {
  client: RegisteredClient;
  jti: string;
  /** The assertion's exp, in milliseconds. */
  expiresAt: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function readHeader(assertion: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    throw invalidClient('client_assertion is not a signed JWT (three base64url parts: header.payload.signature).');
  }
}

function readClaims(assertion: string): JWTPayload {
  try {
    return decodeJwt(assertion);
  } catch {
    throw invalidClient('client_assertion is not a signed JWT whose payload is a JSON object of claims.');
  }
}

/** Turns jose's verdict into a description a client developer can act on. */
function describeFailure(err: unknown, header: ProtectedHeaderParameters, client: RegisteredClient, tokenUrl: string, now: number) {
  const keys = client.jwksUrl ? `the key set at ${client.jwksUrl}` : `the key set registered for "${client.id}"`;
  if (err instanceof errors.JWKSNoMatchingKey) {
    return `No key in ${keys} has kid "${header.kid}" and fits alg ${header.alg}.`;
  }
  if (err instanceof errors.JWKSMultipleMatchingKeys) return `More than one key in ${keys} has kid "${header.kid}".`;
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return `The signature does not verify with the key "${header.kid}" of ${keys}: sign with the private key of that public key.`;
  }
  if (err instanceof errors.JWTExpired) {
    return `client_assertion expired at ${iso(Number(err.payload.exp))} (exp); it is now ${new Date(now).toISOString()}. Sign a new assertion for each token request.`;
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return `client_assertion has no "${err.claim}" claim; SMART requires iss, sub, aud, exp and jti.`;
    if (err.claim === 'aud') {
      return `client_assertion's aud must be this token endpoint's URL, "${tokenUrl}" (behind a proxy, set PUBLIC_BASE_URL so it matches the URL clients use).`;
    }
    return `client_assertion's "${err.claim}" claim is not valid (${err.message}).`;
  }
  // fetch() reports a refused connection or a bad URL as a TypeError.
  if (client.jwksUrl && (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err instanceof TypeError)) {
    return `The key set of "${client.id}" could not be fetched from ${client.jwksUrl} (${(err as Error).message}).`;
  }
  if (err instanceof errors.JOSEError) return `client_assertion could not be verified (${err.message}).`;
  throw err;
}

/**
 * Checks an assertion against the registered clients and this endpoint's URL (`tokenUrl`),
 * at `now` (milliseconds, from the app's clock). `clientId` is the optional client_id
 * parameter, which must then name the same client.
 */
export async function verifyClientAssertion(
  assertion: string,
  opts: { clients: ClientRegistry; tokenUrl: string; now: number; clientId?: string },
): Promise<VerifiedAssertion> {
  const header = readHeader(assertion);
  if (!(SIGNING_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    throw invalidClient(`client_assertion is signed with alg ${JSON.stringify(header.alg)}; this server accepts ${SIGNING_ALGORITHMS.join(' and ')}.`);
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw invalidClient('client_assertion has no kid in its header; name the registered key that signed it.');
  }
  if (typeof header.typ !== 'string' || header.typ.toUpperCase() !== 'JWT') {
    throw invalidClient(`client_assertion's header typ must be "JWT" (got ${JSON.stringify(header.typ)}).`);
  }

  const claims = readClaims(assertion);
  if (typeof claims.iss !== 'string' || claims.iss === '') {
    throw invalidClient('client_assertion has no "iss" claim; iss and sub must both be your client id.');
  }
  const client = opts.clients.get(claims.iss);
  if (!client) throw invalidClient(`No client "${claims.iss}" is registered with this server (the assertion's iss).`);
  if (claims.sub !== claims.iss) {
    throw invalidClient(`client_assertion's sub (${JSON.stringify(claims.sub)}) must equal its iss, the client id "${claims.iss}".`);
  }
  if (opts.clientId !== undefined && opts.clientId !== claims.iss) {
    throw invalidClient(`client_id "${opts.clientId}" does not match the assertion's iss "${claims.iss}".`);
  }
  if (header.jku !== undefined && header.jku !== client.jwksUrl) {
    throw invalidClient(
      client.jwksUrl
        ? `The jku header ${JSON.stringify(header.jku)} is not the JWKS URL registered for "${client.id}" (${client.jwksUrl}).`
        : `The jku header ${JSON.stringify(header.jku)} is not allowed: "${client.id}" registered its keys inline, with no JWKS URL.`,
    );
  }

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, client.getKey, {
      algorithms: [...SIGNING_ALGORITHMS],
      audience: opts.tokenUrl,
      issuer: client.id,
      subject: client.id,
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(opts.now),
    }));
  } catch (err) {
    throw invalidClient(describeFailure(err, header, client, opts.tokenUrl, opts.now));
  }

  const exp = payload.exp!;
  if (exp * 1000 - opts.now > (MAX_ASSERTION_LIFETIME_SECONDS + ASSERTION_CLOCK_SKEW_SECONDS) * 1000) {
    throw invalidClient(
      `client_assertion's exp (${iso(exp)}) is more than five minutes after now (${new Date(opts.now).toISOString()}); SMART allows at most 300 seconds.`,
    );
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    throw invalidClient('client_assertion\'s "jti" claim must be a non-empty string, unique for each assertion.');
  }
  return { client, jti: payload.jti, expiresAt: exp * 1000 };
}
