// What the server answers that is not part of the API the document describes, and so is left
// out of the contract checks and of the route comparison. Add a prefix here for any page whose
// files are served as static assets.

/** Swagger UI's page, its script, style sheets and its copy of the document; the demo page's files. */
export const STATIC_PREFIXES = ['/docs', '/demo'];
/** The demo page itself. */
export const STATIC_PAGES = ['/'];

/**
 * The mock's admin API is not in the document (yet): these are its operations, which
 * routes.test.ts holds the server to exactly, so a new control is named there. Once they are
 * documented (tagged "Mock controls"), this list goes.
 */
export const MOCK_CONTROLS_PREFIX = '/_mock/';
export const UNDOCUMENTED_MOCK_CONTROLS = [
  'GET /_mock/scenarios',
  'POST /_mock/scenarios',
  'DELETE /_mock/scenarios',
  'POST /_mock/reset',
  'POST /_mock/clock',
];

export function isStaticAsset(path: string): boolean {
  return STATIC_PAGES.includes(path) || STATIC_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export const isMockControl = (path: string): boolean => path.startsWith(MOCK_CONTROLS_PREFIX);

/** CORS preflight requests are answered by @fastify/cors on every path, before any route. */
export const isCorsPreflight = (method: string): boolean => method.toUpperCase() === 'OPTIONS';

export function isOutsideTheApi(method: string, path: string): boolean {
  return isStaticAsset(path) || isCorsPreflight(method) || isMockControl(path);
}
