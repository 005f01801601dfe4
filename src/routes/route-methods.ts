// Registers a path's handlers and answers every other method with 405 + Allow + an
// OperationOutcome (docs/behaviour.md, "Errors"), rather than Fastify's default 404.
import type {
  FastifyInstance,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
import { methodNotAllowed } from '../errors.js';

type Method = 'GET' | 'POST' | 'DELETE';
const CHECKED: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** One method's handler; `Route` types its query, params and body (`{ Querystring: ... }`). */
export interface MethodRoute<Route extends RouteGenericInterface = RouteGenericInterface> {
  options?: RouteShorthandOptions;
  handler: RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Route>;
}

/**
 * `head: false` keeps Fastify from answering HEAD with the GET handler, for a GET that does
 * something (a kick-off starts a job); HEAD then gets the 405 too.
 */
export function routeMethods<Route extends RouteGenericInterface = RouteGenericInterface>(
  app: FastifyInstance,
  url: string,
  routes: Partial<Record<Method, MethodRoute<Route>>>,
  { head = true }: { head?: boolean } = {},
): void {
  const allowed = Object.keys(routes) as Method[];
  for (const method of allowed) {
    const route = routes[method]!;
    app.route<Route>({ ...route.options, method, url, handler: route.handler, ...(head ? {} : { exposeHeadRoute: false }) });
  }
  const withHead = head && allowed.includes('GET');
  const advertised = withHead ? [...allowed, 'HEAD'] : allowed;
  const checked: HTTPMethods[] = withHead || !allowed.includes('GET') ? CHECKED : [...CHECKED, 'HEAD'];
  const others = checked.filter((m) => !(allowed as string[]).includes(m));
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
