// Builds the application from a config object (CONTRIBUTING.md, "Layout"). server.ts boots it;
// tests build it with a test config and an injected clock, never through server.ts.
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { refuseConnect } from './http/connection-errors.js';
import { lingerBeforeClose } from './http/lingering-close.js';
import { serverOptions, type LogOptions } from './http/server-options.js';
import authPlugin from './plugins/auth.js';
import errorHandlers from './plugins/error-handlers.js';
import httpBasics, { requireHost } from './plugins/http-basics.js';
import jobRunnerPlugin from './plugins/job-runner.js';
import journalPlugin from './plugins/journal.js';
import openapiPlugin from './plugins/openapi.js';
import scenariosPlugin from './plugins/scenarios.js';
import shutdown from './plugins/shutdown.js';
import storePlugin from './plugins/store.js';
import capabilityStatementRoutes from './routes/capability-statement.js';
import demoPageRoutes from './routes/demo-page.js';
import exportKickoffRoutes from './routes/export-kickoff.js';
import exportStatusRoutes from './routes/export-status.js';
import fileDownloadRoutes from './routes/file-download.js';
import signedDownloadRoutes from './routes/signed-download.js';
import groupRoutes from './routes/groups.js';
import healthRoutes from './routes/health.js';
import mockAdminRoutes from './routes/mock-admin.js';
import mockJournalRoutes from './routes/mock-journal.js';
import mockReportRoutes from './routes/mock-report.js';
import oauthTokenRoutes from './routes/oauth-token.js';
import smartConfigurationRoutes from './routes/smart-configuration.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
  }
}

export interface AppOptions {
  config: Config;
  clock?: Clock;
}

/** The FHIR API: its discovery documents are open; every other route needs a bearer token. */
async function fhirApi(fhir: FastifyInstance) {
  await fhir.register(capabilityStatementRoutes);
  await fhir.register(smartConfigurationRoutes);
  // A signed URL is its own capability: no token.
  await fhir.register(signedDownloadRoutes);
  await fhir.register(async (authenticated) => {
    authenticated.addHook('preHandler', authenticated.authenticate);
    await authenticated.register(exportKickoffRoutes);
    await authenticated.register(exportStatusRoutes);
    await authenticated.register(fileDownloadRoutes);
    await authenticated.register(groupRoutes);
  });
}

async function app(fastify: FastifyInstance, opts: AppOptions) {
  fastify.decorate('config', opts.config);
  fastify.decorate('clock', opts.clock ?? systemClock);
  // The request journal first: its hook sees every request, those refused early among them.
  await fastify.register(journalPlugin);

  // HTTP: the refusals that come before anything else (no Host, shutting down), then what
  // every route shares (body parsers, CORS, compression, request id) and the error handlers.
  await fastify.register(requireHost);
  await fastify.register(shutdown);
  await fastify.register(httpBasics);
  await fastify.register(errorHandlers);

  // Services: the database, tokens, the job runner, simulated faults, the API document.
  await fastify.register(storePlugin);
  await fastify.register(authPlugin);
  await fastify.register(jobRunnerPlugin);
  await fastify.register(scenariosPlugin);
  await fastify.register(openapiPlugin);

  // Routes: health and the token endpoint, the FHIR API, the admin API, the demo page.
  await fastify.register(healthRoutes);
  await fastify.register(oauthTokenRoutes);
  await fastify.register(fhirApi, { prefix: opts.config.basePath });
  await fastify.register(mockAdminRoutes, { prefix: '/_mock' });
  await fastify.register(mockJournalRoutes, { prefix: '/_mock' });
  await fastify.register(mockReportRoutes, { prefix: '/_mock' });
  await fastify.register(demoPageRoutes);
}

export default fp(app, { name: 'verto-fhir-mock' });

export interface BuildOptions extends LogOptions {
  clock?: Clock;
}

/** The Fastify instance with the server options this app relies on, and the app registered. */
export function buildApp(config: Config, options: BuildOptions = {}): FastifyInstance {
  const fastify = Fastify(serverOptions(config, options)) as FastifyInstance;
  refuseConnect(fastify.server);
  lingerBeforeClose(fastify.server);
  fastify.register(app, { config, clock: options.clock });
  return fastify;
}
