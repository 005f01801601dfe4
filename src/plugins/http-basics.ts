// What every route shares at the HTTP level: the Host check, the body parsers (JSON, FHIR+JSON,
// forms), CORS for browser clients, compression (and its slots), the request id on every response, and the
// media type of an OperationOutcome negotiated with Accept.
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from '../errors.js';
import { FHIR_JSON, fhirJsonMediaType } from '../fhir/media-type.js';
import { CompressionSlots } from '../http/compression.js';
import { LIMITS } from '../http/limits.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Taken by a download before its body is compressed (src/http/compression.ts). */
    compressionSlots: CompressionSlots;
  }
}

const isOperationOutcome = (payload: unknown) =>
  typeof payload === 'object' && payload !== null && (payload as { resourceType?: unknown }).resourceType === 'OperationOutcome';

/** Headers a browser client must be able to read while polling (docs/behaviour.md, "Settings", CORS_ORIGINS). */
const EXPOSED_HEADERS = ['Content-Location', 'X-Progress', 'Retry-After', 'Expires', 'X-Request-Id', 'WWW-Authenticate'];

/** HTTP/1.1 requires Host; Node's own refusal would be an empty 400, this one is an OperationOutcome. */
export const requireHost = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      if (request.raw.httpVersion === '1.1' && !request.headers.host) {
        throw badRequest('An HTTP/1.1 request needs a Host header.');
      }
    });
  },
  { name: 'require-host' },
);

async function httpBasics(app: FastifyInstance) {
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string', bodyLimit: app.initialConfig.bodyLimit },
    app.getDefaultJsonParser('error', 'error'),
  );
  await app.register(formbody);
  await app.register(cors, {
    origin: app.config.corsOrigins === '*' ? '*' : app.config.corsOrigins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Prefer', 'Accept', 'X-Mock-Scenario', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    // A bare OPTIONS (no Origin) is answered 204 like a preflight, not with a text/plain 400.
    strictPreflight: false,
  });
  app.decorate('compressionSlots', new CompressionSlots(LIMITS.compressedDownloads, LIMITS.compressedDownloadWaitMs));
  await app.register(compress, {
    global: true,
    encodings: ['gzip', 'deflate'],
    // NDJSON is not in the default list of compressible types.
    customTypes: /^application\/(?:fhir\+)?(?:nd)?json|^text\//,
    zlibOptions: { level: 1 },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // An OperationOutcome, wherever it comes from, is sent as application/json to a client whose
  // Accept prefers that (docs/behaviour.md, "Content negotiation").
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith(FHIR_JSON) && isOperationOutcome(payload)) {
      reply.header('content-type', `${fhirJsonMediaType(request.headers.accept)}; charset=utf-8`);
    }
    return payload;
  });
}

export default fp(httpBasics, { name: 'http-basics', decorators: { fastify: ['config'] } });
