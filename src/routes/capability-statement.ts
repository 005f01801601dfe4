// GET {BASE}/fhir/metadata (standard profile): a CapabilityStatement that instantiates the
// Bulk Data IG's, names the three export operations, the exportable types, the `_typeFilter`
// search parameters, and the token endpoint in the oauth-uris extension.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import { TYPE_FILTER_PARAMS } from '../export/type-filter.js';
import type { CapabilityStatement } from '../fhir/r4.js';
import { EXPORTABLE_TYPES } from '../fhir/resource-types.js';
import { requestOrigin } from '../http/origin.js';
import { version } from '../version.js';
import { routeMethods } from './route-methods.js';

const EXPORT_OPS = {
  system: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
  patient: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
  group: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
};

/** The `_typeFilter` search parameters of a type, as CapabilityStatement searchParams. */
const filterParams = (type: string) =>
  Object.entries(TYPE_FILTER_PARAMS[type] ?? {}).map(([name, def]) => ({
    name,
    type: (def.kind === 'date' ? 'date' : 'token') as 'date' | 'token',
    documentation: 'Supported in _typeFilter.',
  }));

export default async function capabilityStatementRoutes(app: FastifyInstance) {
  routeMethods(app, '/fhir/metadata', {
    GET: {
      handler: async (request, reply) => {
        if (app.config.profile !== 'standard') {
          throw notFound("fhir/metadata is part of the standard Bulk Data profile (PROFILE=standard); Verto's FHIR Facade does not document it.");
        }
        const origin = requestOrigin(request, app.config);
        const exportOp = (definition: string) => ({ name: 'export', definition });
        const statement: CapabilityStatement = {
          resourceType: 'CapabilityStatement',
          status: 'active',
          date: '2026-01-01',
          kind: 'instance',
          instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
          software: { name: 'Verto FHIR Facade mock', version },
          implementation: { description: 'Offline stand-in for Verto FHIR Facade bulk export', url: `${origin}${app.config.basePath}/fhir` },
          fhirVersion: '4.0.1',
          format: ['application/fhir+json'],
          rest: [
            {
              mode: 'server',
              security: {
                extension: [
                  {
                    url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                    extension: [{ url: 'token', valueUri: `${origin}/oauth/token` }],
                  },
                ],
                service: [
                  {
                    coding: [
                      { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
                    ],
                  },
                ],
              },
              resource: [
                { type: 'Patient', searchParam: filterParams('Patient'), operation: [exportOp(EXPORT_OPS.patient)] },
                {
                  type: 'Group',
                  interaction: [{ code: 'read' }, { code: 'search-type' }],
                  searchParam: [
                    { name: 'name', type: 'string' },
                    { name: 'identifier', type: 'token' },
                  ],
                  operation: [exportOp(EXPORT_OPS.group)],
                },
                // Every exportable type, with the search parameters _typeFilter takes for it.
                ...EXPORTABLE_TYPES.filter((t) => t !== 'Patient').map((type) => ({
                  type,
                  ...(TYPE_FILTER_PARAMS[type] ? { searchParam: filterParams(type) } : {}),
                })),
              ],
              operation: [exportOp(EXPORT_OPS.system)],
            },
          ],
        };
        return reply.type('application/fhir+json').send(statement);
      },
    },
  });
}
