// Mock controls under /_mock/ (docs/behaviour.md, "Admin API"): list, arm and disarm scenarios for
// the next kick-offs, and reset. Guarded by ADMIN_TOKEN (src/plugins/scenarios.ts).
import type { FastifyInstance } from 'fastify';
import { readClockState, removeActivity } from '../store/clock-state.js';
import { badRequest } from '../errors.js';
import { assertScenariosApply, isScenarioName, SCENARIO_LIST, SCENARIO_NAMES, type ScenarioName } from '../scenarios/catalog.js';
import { routeMethods } from './route-methods.js';

/** Forgets the jobs, the clock's activity, the armed scenarios and the journal (`POST /_mock/reset`, `startMock().reset`). */
export function resetMock(app: FastifyInstance): { jobsDeleted: number; resourcesRemoved: number } {
  const { jobs, db } = app.store.repos();
  const jobsDeleted = jobs.deleteAll();
  app.jobRunner.clearQueue();
  const resourcesRemoved = removeActivity(db);
  app.scenarioArming.disarmAll();
  app.journal.clear();
  return { jobsDeleted, resourcesRemoved };
}

function readArmRequest(body: unknown): { scenario: ScenarioName; count: number | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Send a JSON object such as {"scenario": "slow", "count": 2}.');
  }
  const { scenario, count, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw badRequest(`Unknown field "${extra[0]}"; the fields are "scenario" and "count".`, extra[0]);
  if (typeof scenario !== 'string' || !isScenarioName(scenario)) {
    throw badRequest(
      `"scenario" must be one of: ${SCENARIO_NAMES.join(', ')}${typeof scenario === 'string' ? ` (got "${scenario}")` : ''}.`,
      'scenario',
    );
  }
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000)) {
    throw badRequest('"count" must be a whole number from 1 to 1000000 (or left out: until disarmed).', 'count');
  }
  return { scenario, count: count ?? null };
}

export default async function mockAdminRoutes(app: FastifyInstance) {
  app.addHook('preHandler', app.requireAdmin);
  const state = () => ({
    scenarios: SCENARIO_LIST,
    armed: app.scenarioArming.list(),
  });

  routeMethods(app, '/scenarios', {
    GET: { handler: async () => state() },
    POST: {
      handler: async (request) => {
        const { scenario, count } = readArmRequest(request.body);
        assertScenariosApply([scenario], app.config.auth.enabled, 'scenario');
        app.scenarioArming.arm(scenario, count);
        request.log.info({ scenario, count }, 'scenario armed');
        return state();
      },
    },
    DELETE: {
      handler: async (request) => {
        app.scenarioArming.disarmAll();
        request.log.info('all scenarios disarmed');
        return state();
      },
    },
  });

  routeMethods(app, '/reset', {
    POST: {
      handler: async (request) => {
        const { jobsDeleted, resourcesRemoved } = resetMock(app);
        request.log.info({ jobsDeleted, resourcesRemoved }, 'mock reset: jobs, clock activity, armed scenarios and the request journal forgotten');
        return { jobsDeleted, resourcesRemoved, armed: [] };
      },
    },
  });

  routeMethods(app, '/clock', {
    POST: {
      handler: async (request) => {
        const body = request.body as Record<string, unknown> | undefined;
        const days = body?.advanceDays;
        const extra = body && typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'advanceDays') : [];
        if (extra.length > 0) throw badRequest(`Unknown field "${extra[0]}"; the field is "advanceDays".`, extra[0]);
        if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
          throw badRequest('Send {"advanceDays": n} with n a whole number from 1 to 365.', 'advanceDays');
        }
        const { db } = app.store.repos();
        const now = app.clock.now();
        // The generator (faker and its locale tables) is loaded on first use, not at start.
        const { addActivity } = await import('../seeding/generator-port.js');
        const added = await addActivity(db, app.config.dataset, days, now);
        const state = readClockState(db);
        request.log.info({ days, added }, 'clinical activity added');
        return { advancedDays: days, totalDays: state.days, lastUpdated: new Date(now).toISOString(), added };
      },
    },
  });
}
