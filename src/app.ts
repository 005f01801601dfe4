// Builds the application from a config object (CONTRIBUTING.md, "Layout"). server.ts boots it;
// tests build it with a test config and an injected clock, never through server.ts.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import Fastify, {
  type ConnectionError,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import {
  HttpError,
  badRequest,
  internalError,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  serviceUnavailable,
  unsupportedMediaType,
} from './errors.js';
import { operationOutcome } from './fhir/operation-outcome.js';
import type { OperationOutcome } from './fhir/r4.js';
import authPlugin from './plugins/auth.js';
import jobRunnerPlugin from './plugins/job-runner.js';
import openapiPlugin from './plugins/openapi.js';
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

/** Headers a browser client must be able to read while polling (docs/behaviour.md, "Settings", CORS_ORIGINS). */
const EXPOSED_HEADERS = ['Content-Location', 'X-Progress', 'Retry-After', 'Expires', 'X-Request-Id', 'WWW-Authenticate'];

/** Maps any error to the HttpError a client sees; 5xx details stay in the log. */
export function toHttpError(err: FastifyError | Error): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as FastifyError;
  if (e.validation) return badRequest(`The request is not valid: ${e.message}.`);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge('The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('The request body could not be read: it is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('The request body could not be read: it is empty, but its content type says JSON.');
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
    // A bare OPTIONS (no Origin) is answered 204 like a preflight, not with a text/plain 400.
    strictPreflight: false,
  });
  await fastify.register(compress, {
    global: true,
    encodings: ['gzip', 'deflate'],
    // NDJSON is not in the default list of compressible types.
    customTypes: /^application\/(?:fhir\+)?(?:nd)?json|^text\//,
    zlibOptions: { level: 1 },
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
  await fastify.register(openapiPlugin);

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

/** What one request may weigh (README, "Operations"); beyond these the client gets a 4xx OperationOutcome. */
export const LIMITS = {
  /** A JSON, FHIR+JSON or form body. The largest legitimate one, a Parameters kick-off, is a few KiB. */
  bodyBytes: 1024 * 1024,
  /** The request line and all headers together (431 beyond). */
  headerBytes: 16 * 1024,
  /** One path segment, such as a file id (400 beyond). */
  pathSegmentChars: 200,
  /** Time to receive a whole request (408 beyond), so slow senders cannot hold sockets forever. */
  requestTimeoutMs: 30_000,
} as const;

/** Query parameters whose values must never reach the log, should a client put secrets in a URL. */
const SECRET_PARAMS = /([?&](?:password|access_token|refresh_token|client_secret|client_assertion|token)=)[^&#]*/gi;
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[Redacted]');

export interface BuildOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Where the default logger writes (stdout when absent); tests read the log from here. */
  logStream?: { write(line: string): void };
}

/** An OperationOutcome written straight to a socket, for requests that never reach a route. */
function rawOutcome(socket: Socket, status: number, reason: string, outcome: OperationOutcome, head = false): void {
  const body = JSON.stringify(outcome);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/fhir+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
    );
  }
  socket.destroy();
}

/**
 * HTTP-level errors that happen before any route runs (a malformed request line, headers over
 * the limit, a timeout) are answered here, as an OperationOutcome, on the raw socket.
 */
function clientErrorHandler(this: FastifyInstance, err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, diagnostics] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `The request line and headers exceed ${LIMITS.headerBytes} bytes.`]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', `The request was not received in full within ${LIMITS.requestTimeoutMs / 1000} seconds.`]
        : [400, 'Bad Request', 'The request is not valid HTTP/1.1 (request line, header syntax or body framing).'];
  this.log.debug({ err: { code: err.code, message: err.message } }, 'malformed request refused');
  // A response to HEAD has headers only; a client would read a body as the next response.
  const raw: unknown = err.rawPacket; // a Buffer at run time, whatever the type says
  const head = Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
  rawOutcome(socket, status, reason, operationOutcome('error', status === 408 ? 'timeout' : 'invalid', diagnostics), head);
}

/** Router-level refusals (a malformed percent-encoding, an over-long path segment) as OperationOutcomes. */
function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const httpError =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? badRequest(`A path segment is longer than ${LIMITS.pathSegmentChars} characters; no id here is that long.`)
      : toHttpError(err);
  // Answered before any hook runs: the request id is set here, as the onSend hook sets it elsewhere.
  void reply.code(httpError.statusCode).header('x-request-id', request.id).type('application/fhir+json').send(httpError.outcome);
}

/** The Fastify instance with the server options this app relies on, and the app registered. */
export function buildApp(config: Config, options: BuildOptions = {}): FastifyInstance {
  // Node would answer a missing Host with an empty 400; the hook below answers it with an OperationOutcome.
  const serverLimits = { maxHeaderSize: LIMITS.headerBytes, requireHostHeader: false };
  const tls = config.tls && {
    ...serverLimits,
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    // Verto requires TLS 1.2 or later of its clients; the mock holds them to the same.
    minVersion: 'TLSv1.2' as const,
  };
  const common: FastifyServerOptions = {
    logger: options.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'body.password'],
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: LIMITS.bodyBytes,
    requestTimeout: LIMITS.requestTimeoutMs,
    // Requests that arrive while the server drains get the OperationOutcome from the hook below.
    return503OnClosing: false,
    clientErrorHandler,
    frameworkErrors,
    // Take the caller's request id when it is sane, so logs can be joined across services.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: LIMITS.pathSegmentChars },
    rewriteUrl: decodeDollar,
  };
  // With `https` set Fastify makes an https.Server; routes and hooks see the same request types.
  const fastify = Fastify({ ...common, ...(tls ? { https: tls } : { http: serverLimits }) }) as FastifyInstance;

  // Nothing here tunnels: CONNECT gets a 405 instead of a silently closed connection.
  fastify.server.on('connect', (_req: IncomingMessage, socket: Socket) =>
    rawOutcome(socket, 405, 'Method Not Allowed', methodNotAllowed('CONNECT', ['GET', 'POST', 'DELETE']).outcome),
  );

  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      throw badRequest('An HTTP/1.1 request needs a Host header.');
    }
    if (!closing) return;
    reply.header('connection', 'close');
    throw serviceUnavailable('The server is shutting down; try again in a moment.', 5);
  });
  // A response finished during the drain closes its connection, so shutdown need not wait
  // for the client's keep-alive to lapse.
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // A response already streaming when the drain began (its headers said keep-alive) ends its
  // connection once it is sent: Node closes only the connections idle at close time, and the
  // others would hold shutdown for the whole keep-alive timeout.
  fastify.addHook('onResponse', async (request) => {
    // (inject's stand-in socket has no end(): nothing to close there.)
    const socket = request.raw.socket as Partial<Socket> | undefined;
    if (closing && typeof socket?.end === 'function') socket.end();
  });

  fastify.register(app, { config, clock: options.clock });
  return fastify;
}
