// The request journal under /_mock/requests (docs/behaviour.md, "Request journal"): read it,
// filtered by job, time and count, or empty it. Guarded like the rest of /_mock/.
import type { FastifyInstance } from 'fastify';
import { validate as isUuid } from 'uuid';
import { badRequest, shown } from '../errors.js';
import type { JournalFilter } from '../journal/ring.js';
import { routeMethods } from './route-methods.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const MAX_LIMIT = 10_000;

/** One query parameter given at most once, or undefined. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${name} must be given once.`, name);
  return value;
}

export function readJournalFilter(query: unknown): JournalFilter {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const unknownName = Object.keys(q).find((k) => k !== 'jobId' && k !== 'since' && k !== 'limit');
  if (unknownName !== undefined) {
    throw badRequest(`Unknown parameter "${shown(unknownName)}"; the filters are jobId, since and limit.`, unknownName);
  }
  const filter: JournalFilter = {};
  const jobId = single(q, 'jobId');
  if (jobId !== undefined) {
    if (!isUuid(jobId)) throw badRequest(`jobId "${shown(jobId)}" is not a job id (a UUID).`, 'jobId');
    filter.jobId = jobId.toLowerCase();
  }
  const since = single(q, 'since');
  if (since !== undefined) {
    if (!ISO_INSTANT.test(since) || Number.isNaN(Date.parse(since))) {
      throw badRequest(`since "${shown(since)}" is not an ISO 8601 instant such as 2026-03-01T12:00:00Z.`, 'since');
    }
    filter.since = since;
  }
  const limit = single(q, 'limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT} (got "${shown(limit)}").`, 'limit');
    }
    filter.limit = Number(limit);
  }
  return filter;
}

export default async function mockJournalRoutes(app: FastifyInstance) {
  app.addHook('preHandler', app.requireAdmin);

  routeMethods(app, '/requests', {
    GET: { handler: async (request) => ({ requests: app.journal.list(readJournalFilter(request.query)) }) },
    DELETE: {
      handler: async (request) => {
        const deleted = app.journal.clear();
        request.log.info({ deleted }, 'request journal emptied');
        return { deleted };
      },
    },
  });
}
