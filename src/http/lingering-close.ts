// Lingering close, as mature servers do it (Apache's lingering_close, nginx's lingering_time):
// a request can be refused before its body is read (404, 405, 401, 413). When its connection
// must then close (the client said `Connection: close`, or the body could not be parsed),
// Node closes the socket at once; the client, still writing its body, meets EPIPE or a reset
// and may never read the answer. Here the answer is sent (it says `Connection: close` and
// carries its length, so the client knows it is whole), the rest of the body is read and
// discarded, and only then is the connection closed: once the body has ended, or after
// LIMITS.lingerBytes more bytes or LIMITS.lingerMs, whichever comes first.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { LIMITS } from './limits.js';

/** Node's http server calls `destroySoon` (when it exists) to close a connection after its last response. */
type ClosingSocket = Socket & { destroySoon?: () => void };

const current = new WeakMap<Socket, IncomingMessage>();

export function lingerBeforeClose(server: Server): void {
  server.prependListener('request', (req: IncomingMessage) => {
    const socket: ClosingSocket = req.socket;
    const patched = current.has(socket);
    current.set(socket, req);
    const destroySoon = socket.destroySoon;
    if (patched || typeof destroySoon !== 'function') return;
    socket.destroySoon = function (this: Socket) {
      const request = current.get(this);
      if (request === undefined || request.complete || this.destroyed || !worthReading(request)) return destroySoon.call(this);
      linger(this, request, () => destroySoon.call(this));
    };
  });
}

/** A body the client declared larger than the bound is not worth reading: the connection closes at once. */
const worthReading = (request: IncomingMessage): boolean => !(Number(request.headers['content-length']) > LIMITS.lingerBytes);

function linger(socket: Socket, request: IncomingMessage, close: () => void): void {
  const start = socket.bytesRead;
  let done = false;
  const stop = (graceful: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    clearInterval(meter);
    if (graceful) close();
    else socket.destroy();
  };
  const deadline = setTimeout(() => stop(false), LIMITS.lingerMs);
  // The HTTP parser reads the socket itself and discards the body of an answered request, so
  // no 'data' event counts it: the socket's byte count is checked instead.
  const meter = setInterval(() => {
    if (socket.bytesRead - start > LIMITS.lingerBytes) stop(false);
  }, 50);
  request.once('end', () => stop(true));
  socket.once('close', () => stop(false));
  request.resume();
}
