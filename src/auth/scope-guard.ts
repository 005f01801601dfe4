// Enforces a token's SMART scopes on the FHIR paths. SMART Backend Services ("Enforce
// Authorization"): a client that explicitly asks for data its scopes do not cover gets a
// failure to that request. The answer is 403 with an OperationOutcome (`forbidden`) and
// RFC 6750's `insufficient_scope` challenge, so the client knows to ask for another scope;
// it is never sent for another client's job or file, which stay 404 (see job-access.ts).
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { SCOPE_TYPES, allowedTypes } from './scopes.js';

function insufficientScope(diagnostics: string, types: readonly string[], expression?: string): HttpError {
  const needed = types.map((t) => `system/${t}.read`).join(' ');
  return new HttpError(403, operationOutcome('error', 'forbidden', diagnostics, expression), {
    'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
  });
}

const describe = (scopes: readonly string[]) => `"${scopes.join(' ')}"`;

/**
 * Refuses a request for a resource type outside the token's scope. Types no scope names
 * (OperationOutcome error files, Bundles of deletions) travel with the job that made them.
 */
export function assertTypeAllowed(request: FastifyRequest, type: string): void {
  const scopes = request.scopes;
  if (scopes === null || !SCOPE_TYPES.includes(type) || allowedTypes(scopes, [type]).length === 1) return;
  throw insufficientScope(
    `This token's scope ${describe(scopes)} does not cover ${type}; get a token with system/${type}.read (or .rs).`,
    [type],
  );
}

/**
 * The kick-off's types, limited to the token's scope. Types the client named in `_type`
 * (`explicit`) must all be covered; without `_type` the export holds only the covered types.
 */
export function typesInScope(request: FastifyRequest, types: readonly string[], explicit: boolean): string[] {
  const scopes = request.scopes;
  if (scopes === null || types.length === 0) return [...types];
  const allowed = allowedTypes(scopes, types);
  if (explicit) {
    const refused = types.filter((t) => !allowed.includes(t));
    if (refused.length > 0) {
      throw insufficientScope(
        `_type asks for ${refused.join(', ')}, outside this token's scope ${describe(scopes)}; ` +
          `ask only for covered types, or get a token whose scope includes them.`,
        refused,
        '_type',
      );
    }
  }
  if (allowed.length === 0) {
    throw insufficientScope(
      `This token's scope ${describe(scopes)} covers none of the types this export would hold (${types.join(', ')}).`,
      types,
    );
  }
  return allowed;
}
