// Refusals answered before any route runs, each as an OperationOutcome: malformed HTTP and
// timeouts on the raw socket, router-level errors (a malformed percent-encoding, an over-long
// path segment) through the reply, and CONNECT, which nothing here tunnels.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, methodNotAllowed } from '../errors.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import type { OperationOutcome } from '../fhir/r4.js';
import { toHttpError } from '../plugins/error-handlers.js';
import { LIMITS } from './limits.js';

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
export function clientErrorHandler(this: FastifyInstance, err: ConnectionError, socket: Socket): void {
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
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const httpError =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? badRequest(`A path segment is longer than ${LIMITS.pathSegmentChars} characters; no id here is that long.`)
      : toHttpError(err);
  // Answered before any hook runs: the request id is set here, as the onSend hook sets it elsewhere.
  void reply.code(httpError.statusCode).header('x-request-id', request.id).type('application/fhir+json').send(httpError.outcome);
}

/** Nothing here tunnels: CONNECT gets a 405 instead of a silently closed connection. */
export function refuseConnect(server: Server): void {
  server.on('connect', (_req: IncomingMessage, socket: Socket) =>
    rawOutcome(socket, 405, 'Method Not Allowed', methodNotAllowed('CONNECT', ['GET', 'POST', 'DELETE']).outcome),
  );
}
