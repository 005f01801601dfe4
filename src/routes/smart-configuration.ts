// GET {BASE}/fhir/.well-known/smart-configuration (SMART App Launch 2.0, "Conformance"; the
// client-confidential-asymmetric profile's discovery requirements): how a backend service gets
// a token here. Standard profile only; Verto documents no such file, so the verto profile
// answers 404. No authorization_endpoint or PKCE methods: this server has no user-facing
// launch, only Backend Services.
import type { FastifyInstance } from 'fastify';
import { SIGNING_ALGORITHMS } from '../auth/client-registry.js';
import { SCOPE_TYPES } from '../auth/scopes.js';
import { notFound } from '../errors.js';
import { requestOrigin } from '../http/origin.js';
import { routeMethods } from './route-methods.js';

export const SCOPES_SUPPORTED = ['*', ...SCOPE_TYPES].flatMap((type) => [`system/${type}.read`, `system/${type}.rs`]);

export default async function smartConfigurationRoutes(app: FastifyInstance) {
  routeMethods(app, '/fhir/.well-known/smart-configuration', {
    GET: {
      handler: async (request, reply) => {
        if (app.config.profile !== 'standard') {
          throw notFound(
            'The SMART configuration is served in the standard profile only (PROFILE=standard); ' +
              'in the verto profile the token endpoint takes the password grant, as Verto documents.',
          );
        }
        return reply.type('application/json').send({
          token_endpoint: `${requestOrigin(request, app.config)}/oauth/token`,
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: [...SIGNING_ALGORITHMS],
          grant_types_supported: ['client_credentials'],
          scopes_supported: SCOPES_SUPPORTED,
          capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
        });
      },
    },
  });
}
