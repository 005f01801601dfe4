// Kick-off: GET|POST {BASE}/fhir/$export, and in the standard profile also
// {BASE}/fhir/Patient/$export and {BASE}/fhir/Group/[id]/$export (docs/behaviour.md, "Endpoints" and
// "Standard profile"). Validates the whole request, then creates the job and answers 202 with
// Content-Location.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { v4 as uuidv4 } from 'uuid';
import { typesInScope } from '../auth/scope-guard.js';
import { allowedTypes } from '../auth/scopes.js';
import { badRequest, notFound, shown, tooManyRequests, unsupportedMediaType } from '../errors.js';
import { paramsFromBody, paramsFromPost, paramsFromQuery, validateKickoff, withAssociatedData, type RawParams } from '../export/kickoff-params.js';
import { ASSOCIATED_TYPE, type ExportSelection } from '../export/selection.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { requestOrigin } from '../http/origin.js';
import { preferences } from '../http/prefer.js';
import { parseScenarioList } from '../scenarios/arming.js';
import { activeScenarios, faultStateOf } from '../scenarios/active.js';
import { assertScenariosApply } from '../scenarios/catalog.js';
import { routeMethods, type MethodRoute } from './route-methods.js';

interface Level {
  level: ExportSelection['level'];
  groupId?: string;
}

/** The Group id from the path, as the router matched it. */
function groupIdOf(params: unknown): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>).groupId : undefined;
  return typeof value === 'string' ? value : '';
}

/** The standard profile's kick-off headers (Bulk Data IG: Accept and Prefer are required). */
function checkAsyncHeaders(request: FastifyRequest): void {
  const accept = request.headers.accept ?? '';
  if (!accept.split(',').some((v) => v.split(';')[0]!.trim().toLowerCase() === 'application/fhir+json')) {
    throw badRequest(`A kick-off needs "Accept: application/fhir+json"${accept ? ` (got "${accept}")` : ''}.`, 'Accept');
  }
  if (!preferences(request.headers.prefer).has('respond-async')) {
    throw badRequest('A kick-off needs "Prefer: respond-async".', 'Prefer');
  }
}

export default async function exportKickoffRoutes(app: FastifyInstance) {
  const { profile } = app.config;

  if (profile === 'standard') {
    // Here, and only here, an empty JSON body is no body: a body-less POST kick-off may still say
    // `Content-Type: application/fhir+json`; its parameters are then those of its URL.
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser(['application/json', 'application/fhir+json']);
    app.addContentTypeParser(
      ['application/json', 'application/fhir+json'],
      { parseAs: 'string', bodyLimit: app.initialConfig.bodyLimit },
      (request, body, done) => (body === '' ? done(null, undefined) : json(request, body as string, done)),
    );
  }

  const kickoff = async (request: FastifyRequest, reply: FastifyReply, raw: RawParams, where: Level) => {
    if (profile === 'standard') checkAsyncHeaders(request);
    const { jobs, resources, groups } = app.store.repos();
    const handling = preferences(request.headers.prefer).get('handling');
    const validated = validateKickoff(raw, {
      lenient: handling === 'lenient',
      strict: handling === 'strict',
      profile,
      now: app.clock.now(),
      ...where,
    });
    const inScope = typesInScope(request, validated.types, raw.some(([name]) => name === '_type'));
    const params = withAssociatedData(validated, inScope, allowedTypes(request.scopes, [ASSOCIATED_TYPE]).length > 0);
    if (where.groupId !== undefined && groups.read(where.groupId) === undefined) {
      throw notFound(`No Group ${where.groupId}.`, 'Group');
    }
    // A patient the export cannot cover does not refuse the kick-off: the export runs, and the
    // manifest's error file says so, one OperationOutcome per patient (Bulk Data IG, `patient`).
    const patients = params.selection?.patients;
    const missingPatients = (patients ? groups.outsiders(patients, where.groupId) : []).map((id) =>
      where.groupId
        ? `patient names Patient/${id}, which is not a member of Group ${where.groupId}; the export has nothing of it.`
        : `patient names Patient/${id}, which does not exist; the export has nothing of it.`,
    );
    const asked = parseScenarioList(request.headers['x-mock-scenario'], 'X-Mock-Scenario');
    assertScenariosApply(asked, app.config.auth.enabled, 'X-Mock-Scenario');
    // A kick-off refused for want of room uses up no armed scenario.
    const runner = app.jobRunner;
    if (!runner.hasRoom()) {
      throw tooManyRequests('Too many exports are queued; try again later.', runner.retryAfterSeconds());
    }
    const scenarios = [...new Set([...asked, ...app.scenarioArming.take()])];
    if (scenarios.length > 0) request.log.info({ scenarios }, 'simulated faults apply to this kick-off');
    const active = activeScenarios(scenarios, app.config.scenarios);
    active.kickoff();
    const origin = requestOrigin(request, app.config);
    const now = app.clock.now();
    const id = uuidv4();
    jobs.create({
      id,
      owner: request.user,
      request: origin + request.originalUrl,
      params: { ...params, scenarios, ...(missingPatients.length > 0 ? { missingPatients } : {}) },
      createdAt: now,
      transactionTime: new Date(now).toISOString(),
      watermark: resources.maxRid(),
    });
    // Logged before enqueue, which may start the job at once: the log reads in the order things
    // happen. `exportLevel`, not `level`, which is pino's own field for the log level.
    request.log.info({ jobId: id, exportLevel: where.level, types: params.types, ignored: params.ignored.length }, 'export job created');
    active.jobCreated({ jobId: id, tokenHash: request.tokenHash, state: faultStateOf(jobs, { id, faultState: {} }) });
    runner.enqueue(id);
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

  const standardOnly = (what: string) => {
    if (profile !== 'standard') {
      throw notFound(
        `${what} is part of the standard Bulk Data profile (PROFILE=standard); Verto's FHIR Facade documents only the system-level fhir/$export.`,
      );
    }
  };

  const routes = (level: (request: FastifyRequest) => Level): Record<'GET' | 'POST', MethodRoute> => ({
    GET: {
      handler: (request, reply) => kickoff(request, reply, paramsFromQuery(request.query), level(request)),
    },
    POST: {
      handler: (request, reply) => {
        const where = level(request);
        const fromUrl = paramsFromQuery(request.query);
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const json = contentType === 'application/fhir+json' || contentType === 'application/json';
        // The standard profile reads a body-less POST's parameters from its URL, as the Bulk Data
        // IG allows and clients such as Medplum's send them (docs/behaviour.md, "Kick-off").
        if (profile === 'standard' && request.body === undefined && (json || contentType === '')) {
          return kickoff(request, reply, fromUrl, where);
        }
        if (profile !== 'standard' && fromUrl.length > 0) {
          throw badRequest('A POST kick-off takes its parameters in the Parameters body, not in the URL.');
        }
        if (!json) {
          throw unsupportedMediaType(
            `A POST kick-off takes a FHIR Parameters resource as application/fhir+json (or application/json), not ${contentType === '' ? 'a body without Content-Type' : shown(contentType)}.`,
          );
        }
        return kickoff(request, reply, paramsFromPost(fromUrl, paramsFromBody(request.body)), where);
      },
    },
  });

  // No HEAD: a GET kick-off starts a job, which a HEAD must not do.
  routeMethods(app, '/fhir/$export', routes(() => ({ level: 'system' })), { head: false });
  routeMethods(
    app,
    '/fhir/Patient/$export',
    routes(() => {
      standardOnly('Patient/$export');
      return { level: 'patient' };
    }),
    { head: false },
  );
  routeMethods(
    app,
    '/fhir/Group/:groupId/$export',
    routes((request) => {
      standardOnly('Group/[id]/$export');
      return { level: 'group', groupId: groupIdOf(request.params) };
    }),
    { head: false },
  );
}
