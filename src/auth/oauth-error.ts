// A token-endpoint error as RFC 6749 §5.2 defines it: `{"error", "error_description"}`, not an
// OperationOutcome. The token route's error handler turns it into the reply.
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly statusCode: number,
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** Extra response headers (Retry-After of a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const invalidRequest = (description: string) => new OAuthError(400, 'invalid_request', description);
export const invalidScope = (description: string) => new OAuthError(400, 'invalid_scope', description);
/**
 * 401, as the contract lists it. No WWW-Authenticate: RFC 6749 asks for one only when the
 * client authenticated with the Authorization header, and a signed assertion travels in the
 * body, under no HTTP authentication scheme.
 */
export const invalidClient = (description: string) => new OAuthError(401, 'invalid_client', description);
