// The Fastify server options the app relies on: request limits, the logger, request ids,
// the URL rewrite for `%24export`, TLS, and the handlers for requests refused before any route.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { clientErrorHandler, frameworkErrors } from './connection-errors.js';
import { LIMITS } from './limits.js';

export interface LogOptions {
  logger?: FastifyServerOptions['logger'];
  /** Where the default logger writes (stdout when absent); tests read the log from here. */
  logStream?: { write(line: string): void };
}

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

/** Query parameters whose values must never reach the log, should a client put secrets in a URL. */
const SECRET_PARAMS = /([?&](?:password|access_token|refresh_token|client_secret|client_assertion|token|signature)=)[^&#]*/gi;
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[Redacted]');

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Take the caller's request id when it is sane, so logs can be joined across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function logger(config: Config, options: LogOptions): FastifyServerOptions['logger'] {
  return (
    options.logger ?? {
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
    }
  );
}

/** Where and how the server listens: the configured address, and room for a crowd of connections. */
export function listenOptions(config: Config): { host: string; port: number; backlog: number } {
  return { host: config.host, port: config.port, backlog: LIMITS.listenBacklog };
}

export function serverOptions(config: Config, options: LogOptions = {}): FastifyServerOptions {
  // Node would answer a missing Host with an empty 400; a hook answers it with an OperationOutcome.
  const serverLimits = { maxHeaderSize: LIMITS.headerBytes, requireHostHeader: false };
  const tls = config.tls && {
    ...serverLimits,
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    // Verto requires TLS 1.2 or later of its clients; the mock holds them to the same.
    minVersion: 'TLSv1.2' as const,
  };
  return {
    logger: logger(config, options),
    bodyLimit: LIMITS.bodyBytes,
    requestTimeout: LIMITS.requestTimeoutMs,
    // Requests that arrive while the server drains get an OperationOutcome (src/plugins/shutdown.ts).
    return503OnClosing: false,
    clientErrorHandler,
    frameworkErrors,
    requestIdHeader: false,
    genReqId: requestId,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: LIMITS.pathSegmentChars },
    rewriteUrl: decodeDollar,
    // With `https` set Fastify makes an https.Server; routes and hooks see the same request types.
    ...(tls ? { https: tls } : { http: serverLimits }),
  };
}
