// Bearer-token checks for the FHIR paths (CONTRACT.md, "Errors": 401 + WWW-Authenticate).
// With AUTH=off every request is let through and jobs have no owner.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TokenService } from '../auth/token-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    tokenService: TokenService;
    /** preHandler for routes that need a token; sets request.user. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    /** Who the token belongs to; null when AUTH=off. */
    user: string | null;
    /** The SHA-256 hash of the request's token; null when AUTH=off. */
    tokenHash: string | null;
  }
}

async function authPlugin(app: FastifyInstance) {
  const service = new TokenService(() => app.store.repos().tokens, app.clock, app.config.auth.tokenTtlSeconds);
  app.decorate('tokenService', service);
  app.decorateRequest('user', null);
  app.decorateRequest('tokenHash', null);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    if (!app.config.auth.enabled) return;
    const { subject, tokenHash } = service.verify(request.headers.authorization);
    request.user = subject;
    request.tokenHash = tokenHash;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['store'], decorators: { fastify: ['config', 'clock'] } });
