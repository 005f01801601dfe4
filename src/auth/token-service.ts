// Issues and checks bearer tokens (password grant and SMART client_credentials). Tokens are 256 random bits,
// stored only as SHA-256 hashes (so the database holds nothing usable and tokens survive a
// restart), and checked against the clock on every use.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { unauthorized } from '../errors.js';
import type { TokenRepository } from '../store/token-repository.js';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  created_at: number;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export class TokenService {
  constructor(
    private readonly tokens: () => TokenRepository,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * A new token for `subject`. `scope` (space-separated SMART scopes) limits what it may read;
   * without it the token has full access, as the password grant's always has.
   */
  issue(subject: string, options: { scope?: string; ttlSeconds?: number } = {}): IssuedToken {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const ttlSeconds = options.ttlSeconds ?? this.ttlSeconds;
    this.tokens().save(sha256(token).toString('hex'), subject, now + ttlSeconds * 1000, options.scope ?? null);
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, created_at: Math.floor(now / 1000) };
  }

  /**
   * The subject, token hash and granted scopes (null = full access) of a valid
   * `Authorization: Bearer` header; throws a 401 otherwise.
   */
  verify(authorization: string | undefined): { subject: string; tokenHash: string; scopes: string[] | null } {
    if (!authorization) {
      throw unauthorized('This endpoint needs an access token: send "Authorization: Bearer <token>" (get one from POST /oauth/token).');
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
    if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
    // Looked up by hash: the stored value reveals nothing, and the index lookup does not
    // compare the secret itself character by character.
    const tokenHash = sha256(match[1]!).toString('hex');
    const stored = this.tokens().find(tokenHash);
    if (!stored) throw unauthorized('The access token is not valid; get a new one from POST /oauth/token.');
    if (stored.expiresAt <= this.clock.now()) {
      throw unauthorized('The access token has expired; get a new one from POST /oauth/token.');
    }
    return { subject: stored.subject, tokenHash, scopes: stored.scope === null ? null : stored.scope.split(' ') };
  }
}
