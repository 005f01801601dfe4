// Builds the application from a config object (STYLE.md, "The house"). server.ts boots it;
// tests build it with a test config and an injected clock, never through server.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { HttpError, internalError, notFound, payloadTooLarge, unsupportedMediaType, badRequest } from './errors.js';
import authPlugin from './plugins/auth.js';
import jobRunnerPlugin from './plugins/job-runner.js';
import scenariosPlugin from './plugins/scenarios.js';
import storePlugin from './plugins/store.js';
import capabilityStatementRoutes from './routes/capability-statement.js';
import demoPageRoutes from './routes/demo-page.js';
import exportKickoffRoutes from './routes/export-kickoff.js';
import exportStatusRoutes from './routes/export-status.js';
import fileDownloadRoutes from './routes/file-download.js';
import groupRoutes from './routes/groups.js';
import healthRoutes from './routes/health.js';
import mockAdminRoutes from './routes/mock-admin.js';
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

/** Headers a browser client must be able to read while polling (CONTRACT.md, CORS_ORIGINS). */
const EXPOSED_HEADERS = ['Content-Location', 'X-Progress', 'Retry-After', 'Expires', 'X-Request-Id', 'WWW-Authenticate'];

/** Maps any error to the HttpError a client sees; 5xx details stay in the log. */
export function toHttpError(err: FastifyError | Error): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as FastifyError;
  if (e.validation) return badRequest(`The request is not valid: ${e.message}.`);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge('The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(
        'The request body has a content type this endpoint does not read; use application/fhir+json or application/json.',
      );
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return badRequest(`The request could not be read: ${e.message}.`);
  return internalError();
}

async function app(fastify: FastifyInstance, opts: AppOptions) {
  const { config } = opts;
  fastify.decorate('config', config);
  fastify.decorate('clock', opts.clock ?? systemClock);

  fastify.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string', bodyLimit: fastify.initialConfig.bodyLimit },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  await fastify.register(formbody);
  await fastify.register(cors, {
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Prefer', 'Accept', 'X-Mock-Scenario', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
  });
  await fastify.register(compress, {
    global: true,
    encodings: ['gzip', 'deflate'],
    // NDJSON is not in the default list of compressible types.
    customTypes: /^application\/(?:fhir\+)?(?:nd)?json|^text\//,
  });

  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  fastify.setErrorHandler((err: FastifyError, request, reply) => {
    const httpError = toHttpError(err);
    if (httpError.statusCode >= 500 && !(err instanceof HttpError)) request.log.error({ err }, 'request failed');
    return reply.code(httpError.statusCode).headers(httpError.headers).type('application/fhir+json').send(httpError.outcome);
  });
  fastify.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const err = notFound(`Nothing here: ${request.method} ${path}. The API lives under ${config.basePath}/fhir/.`);
    return reply.code(404).type('application/fhir+json').send(err.outcome);
  });

  await fastify.register(storePlugin);
  await fastify.register(authPlugin);
  await fastify.register(jobRunnerPlugin);
  await fastify.register(scenariosPlugin);

  await fastify.register(healthRoutes);
  await fastify.register(oauthTokenRoutes);
  await fastify.register(mockAdminRoutes, { prefix: '/_mock' });
  await fastify.register(demoPageRoutes);
  await fastify.register(
    async (fhir) => {
      await fhir.register(exportKickoffRoutes);
      await fhir.register(exportStatusRoutes);
      await fhir.register(fileDownloadRoutes);
      await fhir.register(groupRoutes);
      await fhir.register(capabilityStatementRoutes);
      await fhir.register(smartConfigurationRoutes);
    },
    { prefix: config.basePath },
  );
}

export default fp(app, { name: 'verto-fhir-mock' });

/**
 * `$export` may arrive as `%24export` (clients that percent-encode `$`); the router matches
 * paths as sent, so the path's `%24` is decoded before routing. request.originalUrl keeps
 * the URL as sent, for the manifest's `request`.
 */
export function decodeDollar(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!/%24/i.test(path)) return url;
  return path.replace(/%24/gi, '$') + (q === -1 ? '' : url.slice(q));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface BuildOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  https?: { cert: string | Buffer; key: string | Buffer } | null;
}

/** The Fastify instance with the server options this app relies on, and the app registered. */
export function buildApp(config: Config, options: BuildOptions = {}): FastifyInstance {
  const fastify = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'body.password'],
    },
    bodyLimit: 1024 * 1024,
    // Take the caller's request id when it is sane, so logs can be joined across services.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    rewriteUrl: decodeDollar,
  });
  fastify.register(app, { config, clock: options.clock });
  return fastify;
}
