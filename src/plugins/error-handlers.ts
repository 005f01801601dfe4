// The one error handler and the one not-found handler (docs/behaviour.md, "Errors"): every
// failure a client sees is an OperationOutcome, Fastify's own validation and body-parse
// errors included; 5xx details go to the log, not to the client.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, badRequest, internalError, notFound, payloadTooLarge, unsupportedMediaType } from '../errors.js';

/** Maps any error to the HttpError a client sees; 5xx details stay in the log. */
export function toHttpError(err: FastifyError | Error): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as FastifyError;
  if (e.validation) return badRequest(`The request is not valid: ${e.message}.`);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge('The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('The request body could not be read: it is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('The request body could not be read: it is empty, but its content type says JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(
        'The request body has a content type this endpoint does not read; use application/fhir+json or application/json.',
      );
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return badRequest(`The request could not be read: ${e.message}.`);
  return internalError();
}

async function errorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const httpError = toHttpError(err);
    if (httpError.statusCode >= 500 && !(err instanceof HttpError)) request.log.error({ err }, 'request failed');
    return reply.code(httpError.statusCode).headers(httpError.headers).type('application/fhir+json').send(httpError.outcome);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const err = notFound(`Nothing here: ${request.method} ${path}. The API lives under ${app.config.basePath}/fhir/.`);
    return reply.code(404).type('application/fhir+json').send(err.outcome);
  });
}

export default fp(errorHandlers, { name: 'error-handlers', decorators: { fastify: ['config'] } });
