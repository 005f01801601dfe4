// POST /oauth/token: the password grant Verto's Web API uses (CONTRACT.md, "Shape of the
// API"). Errors here are RFC 6749 §5.2 objects, not OperationOutcomes, so this plugin has
// its own error handler.
import type { FastifyError, FastifyInstance } from 'fastify';
import { secretsEqual } from '../auth/token-service.js';
import { HttpError } from '../errors.js';
import { routeMethods } from './route-methods.js';

export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const field = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new OAuthError(400, 'invalid_request', `"${name}" must be given once, as a string.`);
  return v;
};

export default async function oauthTokenRoutes(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | OAuthError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).headers(err.headers).type('application/fhir+json').send(err.outcome);
    }
    const oauth =
      err instanceof OAuthError
        ? err
        : (err.statusCode ?? 500) < 500
          ? new OAuthError(400, 'invalid_request', `The request could not be read: ${err.message}`)
          : undefined;
    if (!oauth) {
      request.log.error({ err }, 'token request failed');
      return reply.code(500).send({ error: 'server_error', error_description: 'The server met an unexpected error.' });
    }
    return reply
      .code(oauth.statusCode)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ error: oauth.error, error_description: oauth.description });
  });

  routeMethods(app, '/oauth/token', {
    POST: {
      handler: async (request, reply) => {
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new OAuthError(
            400,
            'invalid_request',
            'Send the token request as a form (application/x-www-form-urlencoded) or JSON object with grant_type, username and password.',
          );
        }
        const params = body as Record<string, unknown>;
        const grantType = field(params, 'grant_type');
        if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
        if (grantType !== 'password') {
          throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported; use "password".`);
        }
        const username = field(params, 'username');
        const password = field(params, 'password');
        if (!username || !password) {
          throw new OAuthError(400, 'invalid_request', 'The password grant needs both "username" and "password".');
        }
        const { auth } = app.config;
        // Both compared in full, in constant time, so a wrong username takes as long as a wrong password.
        const userOk = secretsEqual(username, auth.username);
        const passOk = secretsEqual(password, auth.password);
        if (!userOk || !passOk) {
          request.log.info('token refused: wrong username or password');
          throw new OAuthError(400, 'invalid_grant', 'The username or password is wrong.');
        }
        const token = app.tokenService.issue(username);
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
      },
    },
  });
}
