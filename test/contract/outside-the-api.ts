// What the server answers that is not part of the API the document describes, and so is left
// out of the contract checks and of the route comparison. Add a prefix here for any page whose
// files are served as static assets.

/** Swagger UI's page, its script, style sheets and its copy of the document; the demo page's files. */
export const STATIC_PREFIXES = ['/docs', '/demo'];
/** The demo page itself. */
export const STATIC_PAGES = ['/'];

export function isStaticAsset(path: string): boolean {
  return STATIC_PAGES.includes(path) || STATIC_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** CORS preflight requests are answered by @fastify/cors on every path, before any route. */
export const isCorsPreflight = (method: string): boolean => method.toUpperCase() === 'OPTIONS';

export function isOutsideTheApi(method: string, path: string): boolean {
  return isStaticAsset(path) || isCorsPreflight(method);
}
