// Bearer-token checks for the FHIR paths (docs/behaviour.md, "Errors": 401 + WWW-Authenticate), and
// the SMART Backend Services clients registered through SMART_CLIENTS. With AUTH=off every
// request is let through with full access and jobs have no owner.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ClientCredentialsGrant } from '../auth/client-credentials.js';
import { loadClientRegistry } from '../auth/client-registry.js';
import { TokenService } from '../auth/token-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    tokenService: TokenService;
    /** The SMART client_credentials grant (used in the standard profile). */
    clientCredentials: ClientCredentialsGrant;
    /**
     * Checks the request's bearer token (401 without a valid one) and sets request.user,
     * tokenHash and scopes; the preHandler of the FHIR routes that need a token (src/app.ts).
     * It only reads, so running it twice on a request is harmless.
     */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    /** Who the token belongs to; null when AUTH=off. */
    user: string | null;
    /** The SHA-256 hash of the request's token; null when AUTH=off. */
    tokenHash: string | null;
    /**
     * The SMART scopes the token was granted; null = full access (a password-grant token,
     * or AUTH=off). Checked with src/auth/scope-guard.ts.
     */
    scopes: readonly string[] | null;
  }
}

async function authPlugin(app: FastifyInstance) {
  const tokens = () => app.store.repos().tokens;
  const service = new TokenService(tokens, app.clock, app.config.auth.tokenTtlSeconds);
  const clients = await loadClientRegistry(app.config.smart.clientsFile);
  if (clients.size > 0) app.log.info({ clients: [...clients.keys()] }, 'SMART Backend Services clients registered');
  app.decorate('tokenService', service);
  app.decorate(
    'clientCredentials',
    new ClientCredentialsGrant(clients, tokens, service, app.clock, app.config.smart.tokenTtlSeconds),
  );
  app.decorateRequest('user', null);
  app.decorateRequest('tokenHash', null);
  app.decorateRequest('scopes', null);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    if (!app.config.auth.enabled) return;
    const { subject, tokenHash, scopes } = service.verify(request.headers.authorization);
    request.user = subject;
    request.tokenHash = tokenHash;
    request.scopes = scopes;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['store'], decorators: { fastify: ['config', 'clock'] } });
