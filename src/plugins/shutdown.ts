// The drain on shutdown: once the server begins to close, a new request
// gets 503 + Retry-After as an OperationOutcome, and every response closes its connection, so
// shutdown need not wait for clients' keep-alive to lapse.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serviceUnavailable } from '../errors.js';

async function shutdown(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw serviceUnavailable('The server is shutting down; try again in a moment.', 5);
  });
  // A response finished during the drain closes its connection.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // A response already streaming when the drain began (its headers said keep-alive) ends its
  // connection once it is sent: Node closes only the connections idle at close time, and the
  // others would hold shutdown for the whole keep-alive timeout.
  app.addHook('onResponse', async (request) => {
    // (inject's stand-in socket has no end(): nothing to close there.)
    const socket = request.raw.socket as Partial<Socket> | undefined;
    if (closing && typeof socket?.end === 'function') socket.end();
  });
}

export default fp(shutdown, { name: 'shutdown' });
