// GET|POST {BASE}/fhir/$export: validates the whole request, then creates the job and
// answers 202 with Content-Location (CONTRACT.md, "Shape of the API", kick-off row).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { v4 as uuidv4 } from 'uuid';
import { HttpError, badRequest, tooManyRequests } from '../errors.js';
import { paramsFromBody, paramsFromQuery, validateKickoff, type RawParams } from '../export/kickoff-params.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { requestOrigin } from '../http/origin.js';
import { wantsLenient } from '../http/prefer.js';
import { parseScenarioList } from '../scenarios/arming.js';
import { THROTTLED_RETRY_AFTER_SECONDS } from '../scenarios/catalog.js';
import { routeMethods } from './route-methods.js';

type Query = Record<string, string | string[] | undefined>;

export default async function exportKickoffRoutes(app: FastifyInstance) {
  const kickoff = async (request: FastifyRequest, reply: FastifyReply, raw: RawParams) => {
    const params = validateKickoff(raw, wantsLenient(request.headers.prefer));
    const asked = parseScenarioList(request.headers['x-mock-scenario'], 'X-Mock-Scenario');
    if (asked.includes('token-expires') && !app.config.auth.enabled) {
      throw badRequest('The "token-expires" scenario needs AUTH=on: with AUTH=off there is no token to expire.', 'X-Mock-Scenario');
    }
    const scenarios = [...new Set([...asked, ...app.scenarioArming.take()])];
    if (scenarios.length > 0) request.log.info({ scenarios }, 'simulated faults apply to this kick-off');
    if (scenarios.includes('kickoff-error')) {
      throw new HttpError(
        500,
        operationOutcome('fatal', 'exception', 'The kick-off failed (simulated by the "kickoff-error" scenario).'),
      );
    }
    if (scenarios.includes('kickoff-throttled')) {
      throw tooManyRequests(
        'Too many requests (simulated by the "kickoff-throttled" scenario); send the kick-off again after Retry-After.',
        THROTTLED_RETRY_AFTER_SECONDS,
      );
    }
    const { jobs, resources } = app.store.repos();
    const runner = app.jobRunner;
    if (!runner.hasRoom()) {
      throw tooManyRequests('Too many exports are queued; try again later.', runner.retryAfterSeconds());
    }
    const origin = requestOrigin(request, app.config);
    const now = app.clock.now();
    const id = uuidv4();
    jobs.create({
      id,
      owner: request.user,
      request: origin + request.originalUrl,
      params: { ...params, scenarios },
      createdAt: now,
      transactionTime: new Date(now).toISOString(),
      watermark: resources.maxRid(),
    });
    runner.enqueue(id);
    if (scenarios.includes('token-expires') && request.tokenHash) app.tokenService.expire(request.tokenHash);
    request.log.info({ jobId: id, types: params.types, ignored: params.ignored.length }, 'export job created');
    const pollUrl = `${origin}${app.config.basePath}/fhir/$export-poll-status?_jobId=${id}`;
    return reply
      .code(202)
      .header('content-location', pollUrl)
      .type('application/fhir+json')
      .send(
        operationOutcome(
          'information',
          'informational',
          `Export job ${id} accepted. Poll ${pollUrl} until it answers 200 with the manifest.`,
        ),
      );
  };

  routeMethods(app, '/fhir/$export', {
    GET: {
      options: { preHandler: app.authenticate },
      handler: (request, reply) => kickoff(request, reply, paramsFromQuery(request.query as Query)),
    },
    POST: {
      options: { preHandler: app.authenticate },
      handler: (request, reply) => {
        if (Object.keys(request.query as Query).length > 0) {
          throw badRequest('A POST kick-off takes its parameters in the Parameters body, not in the URL.');
        }
        return kickoff(request, reply, paramsFromBody(request.body));
      },
    },
  });
}
