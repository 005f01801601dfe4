// The client_credentials grant of SMART Backend Services (SMART App Launch 2.0, "Obtain access
// token"): authenticate the client by its signed assertion, refuse a replayed one, grant the
// requested scopes within what the client is pre-authorized for, and issue a short-lived token
// carrying them.
import type { Clock } from '../clock.js';
import type { TokenRepository } from '../store/token-repository.js';
import { JWT_BEARER_ASSERTION, verifyClientAssertion } from './client-assertion.js';
import type { ClientRegistry } from './client-registry.js';
import { invalidClient, invalidRequest, invalidScope } from './oauth-error.js';
import { ScopeError, formatScope, grantScopes, parseScopes } from './scopes.js';
import type { TokenService } from './token-service.js';

/** The token request's parameters (strings once, or absent). */
export interface ClientCredentialsRequest {
  client_assertion_type?: string;
  client_assertion?: string;
  scope?: string;
  client_id?: string;
}

/** The token response SMART defines: no refresh token, no created_at. */
export interface ClientCredentialsToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/** The owner of a client's tokens and jobs, apart from any password-grant username. */
export const clientSubject = (clientId: string) => `client:${clientId}`;

export class ClientCredentialsGrant {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly tokens: () => TokenRepository,
    private readonly tokenService: TokenService,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /** `tokenUrl` is this endpoint's absolute URL, the assertion's required `aud`. */
  async exchange(request: ClientCredentialsRequest, tokenUrl: string): Promise<ClientCredentialsToken> {
    const { client_assertion_type: assertionType, client_assertion: assertion, scope } = request;
    if (assertionType === undefined) {
      throw invalidRequest(`client_assertion_type is required: this server authenticates clients by a signed JWT, client_assertion_type=${JWT_BEARER_ASSERTION}.`);
    }
    if (assertionType !== JWT_BEARER_ASSERTION) {
      throw invalidRequest(`client_assertion_type "${assertionType}" is not supported; use ${JWT_BEARER_ASSERTION}.`);
    }
    if (!assertion) throw invalidRequest('client_assertion is required: the JWT signed with your registered private key.');
    if (scope === undefined) throw invalidRequest('scope is required, e.g. scope=system/*.read.');
    if (this.clients.size === 0) {
      throw invalidClient('No SMART clients are registered with this server; register yours in the file named by SMART_CLIENTS.');
    }

    const now = this.clock.now();
    const verified = await verifyClientAssertion(assertion, { clients: this.clients, tokenUrl, now, clientId: request.client_id });
    const { client } = verified;
    if (!this.tokens().claimAssertionId(client.id, verified.jti, verified.expiresAt, now)) {
      throw invalidClient(`client_assertion's jti "${verified.jti}" was already used; sign a new assertion, with a new jti, for each token request.`);
    }

    let granted: string[];
    try {
      granted = grantScopes(parseScopes(scope), client.preAuthorized);
    } catch (err) {
      if (err instanceof ScopeError) throw invalidScope(err.message);
      throw err;
    }
    if (granted.length === 0) {
      const allowed = (client.preAuthorized ?? []).map(formatScope).join(' ');
      throw invalidScope(`"${client.id}" is not authorized for any of the requested scopes (${scope}); it may ask for ${allowed}.`);
    }

    const grantedScope = granted.join(' ');
    const issued = this.tokenService.issue(clientSubject(client.id), { scope: grantedScope, ttlSeconds: this.ttlSeconds });
    return { access_token: issued.access_token, token_type: 'bearer', expires_in: issued.expires_in, scope: grantedScope };
  }
}
