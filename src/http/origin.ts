// The origin used in absolute URLs (Content-Location, the manifest's `request`): the
// PUBLIC_BASE_URL setting when set, else the request's own scheme and Host, so URLs stay right
// behind `docker run -p 8080:3000` or a proxy that keeps the Host header.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function requestOrigin(request: FastifyRequest, config: Config): string {
  if (config.publicBaseUrl) return config.publicBaseUrl;
  const host = request.headers.host;
  const authority = host && HOST_HEADER.test(host) ? host : localAuthority(request, config);
  return `${request.protocol}://${authority}`;
}

/**
 * Without a usable Host (an HTTP/1.0 request may have none): the address and port the client
 * reached, which PORT=0 or HOST=0.0.0.0 would not give.
 */
function localAuthority(request: FastifyRequest, config: Config): string {
  const { localAddress, localPort } = request.raw.socket ?? {};
  if (!localAddress || !localPort) return `${config.host}:${config.port}`;
  return `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
}
