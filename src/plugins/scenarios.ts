// Simulated faults: the scenarios armed for the next kick-offs (server-wide, in memory), and
// the admin guard for /_mock/ (docs/behaviour.md, "Admin API" and ADMIN_TOKEN).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { secretsEqual } from '../auth/token-service.js';
import { forbidden, unauthorized } from '../errors.js';
import { ScenarioArming } from '../scenarios/arming.js';

declare module 'fastify' {
  interface FastifyInstance {
    scenarioArming: ScenarioArming;
    /** preHandler for /_mock/ routes. */
    requireAdmin: (request: FastifyRequest) => Promise<void>;
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

/**
 * Why a browser sent this request from another page, or null. A page on any site can make a
 * browser send a simple POST to a loopback server (no preflight; CORS only hides the answer),
 * so the admin API answers only requests that come from no page (curl, scripts, Sec-Fetch-Site
 * `none`) or from this server's own pages.
 */
export function crossOriginReason(request: FastifyRequest, publicBaseUrl: string | undefined): string | null {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return `Sec-Fetch-Site: ${fetchSite}`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const own = [`${request.protocol}://${request.host}`, publicBaseUrl && new URL(publicBaseUrl).origin];
  return own.some((o) => o && o.toLowerCase() === origin.toLowerCase()) ? null : `Origin: ${origin}`;
}

async function scenariosPlugin(app: FastifyInstance) {
  app.decorate('scenarioArming', new ScenarioArming());
  const { adminToken, host, publicBaseUrl } = app.config;
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    const crossOrigin = crossOriginReason(request, publicBaseUrl);
    if (crossOrigin !== null) {
      throw forbidden(
        `The admin API refuses requests sent by a page of another origin (${crossOrigin.slice(0, 200)}): ` +
          'call it from curl, a script or a CI step.',
      );
    }
    if (adminToken === undefined) {
      if (isLoopbackHost(host)) {
        // Open without a secret only to requests addressed to loopback: a page whose own name
        // resolves to 127.0.0.1 (DNS rebinding) is same-origin with itself, not with this server.
        // (No Host at all is no browser's request.)
        const name = request.hostname;
        if (name === '' || isLoopbackHost(name) || (publicBaseUrl !== undefined && new URL(publicBaseUrl).hostname === name.toLowerCase())) return;
        throw forbidden(
          `The admin API answers requests addressed to loopback (Host: 127.0.0.1, localhost or [::1]), not to "${name.slice(0, 100)}"; set ADMIN_TOKEN to use it by another name.`,
        );
      }
      throw forbidden(`The admin API is closed: the server listens on ${host}, not loopback, and ADMIN_TOKEN is not set.`);
    }
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (!match || !secretsEqual(match[1]!, adminToken)) {
      throw unauthorized('The admin API needs "Authorization: Bearer <ADMIN_TOKEN>".');
    }
  });
}

export default fp(scenariosPlugin, { name: 'scenarios', decorators: { fastify: ['config'] } });
