// Registers a path's handlers and answers every other method with 405 + Allow + an
// OperationOutcome (CONTRACT.md, "Errors"), rather than Fastify's default 404.
import type { FastifyInstance, HTTPMethods, RouteHandlerMethod, RouteShorthandOptions } from 'fastify';
import { methodNotAllowed } from '../errors.js';

type Method = 'GET' | 'POST' | 'DELETE';
const CHECKED: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface MethodRoute {
  options?: RouteShorthandOptions;
  handler: RouteHandlerMethod;
}

export function routeMethods(app: FastifyInstance, url: string, routes: Partial<Record<Method, MethodRoute>>): void {
  const allowed = Object.keys(routes) as Method[];
  for (const method of allowed) {
    const route = routes[method]!;
    app.route({ ...route.options, method, url, handler: route.handler });
  }
  const advertised = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
  const others = CHECKED.filter((m) => !(allowed as string[]).includes(m));
  if (others.length > 0) {
    app.route({
      method: others,
      url,
      // Refuse before a body is read or a token is checked: the method is wrong whoever asks.
      onRequest: async (request) => {
        throw methodNotAllowed(request.method, advertised);
      },
      handler: async () => undefined,
    });
  }
}
