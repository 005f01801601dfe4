// Simulated faults: the scenarios armed for the next kick-offs (server-wide, in memory), and
// the admin guard for /_mock/ (CONTRACT.md, "Admin API" and ADMIN_TOKEN).
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

async function scenariosPlugin(app: FastifyInstance) {
  app.decorate('scenarioArming', new ScenarioArming());
  const { adminToken, host } = app.config;
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (adminToken === undefined) {
      if (isLoopbackHost(host)) return;
      throw forbidden(`The admin API is closed: the server listens on ${host}, not loopback, and ADMIN_TOKEN is not set.`);
    }
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (!match || !secretsEqual(match[1]!, adminToken)) {
      throw unauthorized('The admin API needs "Authorization: Bearer <ADMIN_TOKEN>".');
    }
  });
}

export default fp(scenariosPlugin, { name: 'scenarios', decorators: { fastify: ['config'] } });
