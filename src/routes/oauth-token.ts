// POST /oauth/token: the password grant Verto's Web API uses (docs/behaviour.md, "Tokens"),
// and in the standard profile SMART Backend Services' client_credentials grant with a
// signed JWT assertion (SMART App Launch 2.0, backend-services). Errors here are RFC 6749 §5.2
// objects, not OperationOutcomes, so this plugin has its own error handler.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { OAuthError, invalidRequest } from '../auth/oauth-error.js';
import { secretsEqual } from '../auth/token-service.js';
import { HttpError } from '../errors.js';
import { requestOrigin } from '../http/origin.js';
import { routeMethods } from './route-methods.js';

const FORM = 'application/x-www-form-urlencoded';
const isForm = (request: FastifyRequest) => request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === FORM;

/** A form or JSON object: its fields are read one by one with `field`. */
const isFields = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

const field = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`"${name}" must be given once, as a string.`);
  return v;
};

export default async function oauthTokenRoutes(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | OAuthError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      // What the whole server refuses before a token request's grant is read (no Host, still
      // seeding, shutting down) is said in RFC 6749's terms too; another method's answers
      // (405, and what comes before it) stay OperationOutcomes, as on every path.
      if (request.method !== 'POST' || (err.statusCode !== 400 && err.statusCode !== 503)) {
        return reply.code(err.statusCode).headers(err.headers).type('application/fhir+json').send(err.outcome);
      }
      err = new OAuthError(err.statusCode, err.statusCode === 400 ? 'invalid_request' : 'temporarily_unavailable', err.message, err.headers);
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
    if (oauth.statusCode === 401) request.log.info({ reason: oauth.description }, 'token refused: client authentication failed');
    return reply
      .code(oauth.statusCode)
      .headers(oauth.headers)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ error: oauth.error, error_description: oauth.description });
  });

  routeMethods(app, '/oauth/token', {
    POST: {
      handler: async (request, reply) => {
        const params = request.body;
        if (!isFields(params)) {
          throw invalidRequest(
            'Send the token request as a form (application/x-www-form-urlencoded) or JSON object with grant_type and its parameters.',
          );
        }
        const grantType = field(params, 'grant_type');
        if (grantType === undefined) throw invalidRequest('grant_type is required.');
        const standard = app.config.profile === 'standard';
        if (grantType === 'client_credentials') {
          if (!standard) {
            throw new OAuthError(
              400,
              'unsupported_grant_type',
              'grant_type "client_credentials" (SMART Backend Services) is available in the standard profile only (PROFILE=standard); ' +
                'this server runs the verto profile, whose token endpoint takes grant_type "password" as Verto\'s does.',
            );
          }
          if (!isForm(request)) {
            throw invalidRequest(`A client_credentials token request is sent as ${FORM}, as SMART Backend Services requires.`);
          }
          const token = await app.clientCredentials.exchange(
            {
              client_assertion_type: field(params, 'client_assertion_type'),
              client_assertion: field(params, 'client_assertion'),
              scope: field(params, 'scope'),
              client_id: field(params, 'client_id'),
            },
            `${requestOrigin(request, app.config)}/oauth/token`,
          );
          return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
        }
        if (grantType !== 'password') {
          const supported = standard ? '"password" or "client_credentials"' : '"password"';
          throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported; use ${supported}.`);
        }
        const username = field(params, 'username');
        const password = field(params, 'password');
        if (!username || !password) {
          throw invalidRequest('The password grant needs both "username" and "password".');
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
