// The signed, expiring download URLs of the `signed-urls` and `download-redirect` scenarios: a
// path under BASE_PATH whose query carries the expiry and an HMAC of the file id and expiry,
// verified by the server, so the URL itself is the capability and needs no token. The key is
// made at start: a restart makes the URLs handed out before it useless.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest, forbidden } from '../errors.js';

/** How long a signed URL works after it is handed out. */
export const SIGNED_URL_LIFETIME_SECONDS = 300;

const KEY = randomBytes(32);

const signature = (fileId: string, expires: number): string => createHmac('sha256', KEY).update(`${fileId}\n${expires}`).digest('base64url');

/** The path (below BASE_PATH) of a signed URL for the file, working until `now` plus its lifetime. */
export function signedFilePath(fileId: string, now: number): string {
  const expires = Math.floor(now / 1000) + SIGNED_URL_LIFETIME_SECONDS;
  return `/file/${fileId}/signed?expires=${expires}&signature=${signature(fileId, expires)}`;
}

/** The file id of a manifest entry's url (`.../file/<id>/download`), or undefined. */
export function fileIdOfUrl(url: string): string | undefined {
  return /\/file\/([0-9a-f-]{36})\/download$/i.exec(url)?.[1];
}

const one = (query: Record<string, unknown>, name: string): string => {
  const value = query[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`The signed URL has no ${name}: use the url as the manifest or the redirect gave it.`, name);
  return value;
};

/** Refuses a signed URL that was altered (403) or has expired (403). */
export function verifySignedUrl(fileId: string, query: unknown, now: number): void {
  const q = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const expiresText = one(q, 'expires');
  const given = Buffer.from(one(q, 'signature'));
  const expires = /^\d{1,12}$/.test(expiresText) ? Number(expiresText) : NaN;
  const expected = Buffer.from(Number.isNaN(expires) ? '' : signature(fileId, expires));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw forbidden('The signature of this URL does not match it: the URL was altered. Use the url as the manifest or the redirect gave it.');
  }
  if (expires * 1000 <= now) {
    throw forbidden(`This signed URL expired at ${new Date(expires * 1000).toISOString()}: poll the export again for a new one.`);
  }
}
