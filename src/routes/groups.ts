// Group read and search (standard profile): GET {BASE}/fhir/Group/[id] and
// GET {BASE}/fhir/Group?name=...&identifier=..., so clients can find the id for a
// Group-level export.
import type { FastifyInstance } from 'fastify';
import { assertTypeAllowed } from '../auth/scope-guard.js';
import { badRequest, notFound } from '../errors.js';
import type { Bundle, Group } from '../fhir/r4.js';
import { requestOrigin } from '../http/origin.js';
import { routeMethods } from './route-methods.js';

/** A query string as Fastify parses it: a repeated parameter gives an array. */
type Query = Record<string, string | string[] | undefined>;
const SEARCH_PARAMS = ['name', 'identifier', '_summary'];

export default async function groupRoutes(app: FastifyInstance) {
  const standardOnly = () => {
    if (app.config.profile !== 'standard') {
      throw notFound("Group is part of the standard Bulk Data profile (PROFILE=standard); Verto's FHIR Facade does not document it.");
    }
  };

  routeMethods<{ Params: { groupId: string } }>(app, '/fhir/Group/:groupId', {
    GET: {
      handler: async (request, reply) => {
        standardOnly();
        assertTypeAllowed(request, 'Group');
        const { groupId } = request.params;
        const json = app.store.repos().groups.read(groupId);
        if (json === undefined) throw notFound(`No Group ${groupId}.`, 'Group');
        return reply.type('application/fhir+json').send(json);
      },
    },
  });

  routeMethods<{ Querystring: Query }>(app, '/fhir/Group', {
    GET: {
      handler: async (request, reply) => {
        standardOnly();
        assertTypeAllowed(request, 'Group');
        const query = request.query;
        for (const name of Object.keys(query)) {
          if (!SEARCH_PARAMS.includes(name)) {
            throw badRequest(`Group search does not support "${name}"; use name or identifier.`, name);
          }
        }
        const one = (name: string) => {
          const v = query[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const name = one('name')?.toLowerCase();
        const identifier = one('identifier');
        const [system, value] = identifier?.includes('|') ? identifier.split('|', 2) : [undefined, identifier];
        const summary = one('_summary') === 'true';
        const groups = app.store
          .repos()
          .groups.all()
          .map((j) => JSON.parse(j) as Group)
          .filter((g) => name === undefined || (g.name ?? '').toLowerCase().startsWith(name))
          .filter(
            (g) =>
              value === undefined ||
              (g.identifier ?? []).some((i) => i.value === value && (system === undefined || system === '' || i.system === system)),
          );
        const base = `${requestOrigin(request, app.config)}${app.config.basePath}/fhir`;
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'searchset',
          total: groups.length,
          link: [{ relation: 'self', url: `${base}/Group${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}` }],
          entry: groups.map((g) => ({
            fullUrl: `${base}/Group/${g.id}`,
            resource: summary ? { ...g, member: undefined } : g,
            search: { mode: 'match' },
          })),
        };
        return reply.type('application/fhir+json').send(bundle);
      },
    },
  });
}
