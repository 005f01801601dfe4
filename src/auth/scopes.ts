// SMART scopes for Backend Services (SMART App Launch 2.0, "Scopes and Launch Context"): which
// scopes a client may ask for at the token endpoint, and which resource types a granted scope
// lets a token read. Both syntaxes are read: v1 `system/Patient.read` and v2 `system/Patient.rs`.
// This server only reads, so a scope is useful only when it grants reading and searching:
// `.*` and `.cruds` are granted as `.read` / `.rs`; a scope that grants neither is refused.
import { EXPORTABLE_TYPES } from '../fhir/resource-types.js';

/**
 * The types a scope may name: the exported types, Group (read in the standard profile) and
 * Provenance (exported with `includeAssociatedData`).
 */
export const SCOPE_TYPES: readonly string[] = [...EXPORTABLE_TYPES, 'Group', 'Provenance'];

export interface Scope {
  /** A resource type, or `*` for every type. */
  type: string;
  /** The syntax the client used; the granted scope is written back in it. */
  syntax: 'v1' | 'v2';
}

/** A requested scope this server cannot grant; the message names each bad scope and why. */
export class ScopeError extends Error {
  override name = 'ScopeError';
}

const SHAPE = /^system\/([^.]+)\.(.+)$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** Reads one scope token; a string is the reason it cannot be granted. */
function interpret(token: string): Scope | string {
  if (token.includes('?')) {
    return `"${token}": scopes narrowed by search parameters are not supported; ask for the whole type (e.g. system/Observation.rs).`;
  }
  if (/^(patient|user)\//.test(token)) {
    return `"${token}": a backend service asks for system/ scopes (e.g. system/*.read); patient/ and user/ scopes need a user's launch.`;
  }
  const match = SHAPE.exec(token);
  if (!match) {
    return `"${token}" is not a system scope; ask for system/<type or *>.<read or rs>, e.g. system/*.read.`;
  }
  const [, type, permissions] = match as unknown as [string, string, string];
  if (type !== '*' && !SCOPE_TYPES.includes(type)) {
    return `"${token}": ${type} is not a resource type this server serves (${SCOPE_TYPES.join(', ')}).`;
  }
  if (permissions === 'read' || permissions === '*') return { type, syntax: 'v1' };
  if (permissions === 'write') {
    return `"${token}" grants no read access, and this server only reads; ask for system/${type}.read.`;
  }
  if (permissions !== '' && V2_PERMISSIONS.test(permissions)) {
    if (permissions.includes('r') && permissions.includes('s')) return { type, syntax: 'v2' };
    return `"${token}": a bulk export reads and searches, so it needs both r and s; ask for system/${type}.rs.`;
  }
  return `"${token}": "${permissions}" is not a permission; use read (v1) or letters of cruds in that order, such as rs (v2).`;
}

/** The scope as granted: `.*` becomes `.read`, `.cruds` becomes `.rs`. */
export function formatScope(scope: Scope): string {
  return `system/${scope.type}.${scope.syntax === 'v1' ? 'read' : 'rs'}`;
}

/** Parses a space-separated scope parameter; throws a ScopeError naming every scope it cannot grant. */
export function parseScopes(scope: string): Scope[] {
  const tokens = scope.split(' ').filter((t) => t !== '');
  if (tokens.length === 0) throw new ScopeError('scope is empty; ask for the types to read, e.g. system/*.read.');
  const scopes: Scope[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    const result = interpret(token);
    if (typeof result === 'string') problems.push(result);
    else scopes.push(result);
  }
  if (problems.length > 0) throw new ScopeError(problems.join(' '));
  return scopes;
}

function typesOf(scopes: readonly Scope[]): '*' | Set<string> {
  return scopes.some((s) => s.type === '*') ? '*' : new Set(scopes.map((s) => s.type));
}

/**
 * What a client gets: the requested scopes, limited to what it was pre-authorized for
 * (undefined = everything). A wildcard request from a client authorized for some types is
 * granted as those types. Empty when nothing requested is authorized.
 */
export function grantScopes(requested: readonly Scope[], preAuthorized: readonly Scope[] | undefined): string[] {
  const allowed = preAuthorized ? typesOf(preAuthorized) : '*';
  const granted = requested.flatMap((scope): Scope[] => {
    if (allowed === '*') return [scope];
    if (scope.type === '*') return SCOPE_TYPES.filter((t) => allowed.has(t)).map((type) => ({ type, syntax: scope.syntax }));
    return allowed.has(scope.type) ? [scope] : [];
  });
  return [...new Set(granted.map(formatScope))];
}

/**
 * The `candidates` a token with these granted scopes may read, in the candidates' order.
 * `null` scopes (a password-grant token, or AUTH=off) may read everything.
 */
export function allowedTypes(scopes: readonly string[] | null, candidates: readonly string[] = SCOPE_TYPES): string[] {
  if (scopes === null) return [...candidates];
  const parsed = scopes.map(interpret).filter((s): s is Scope => typeof s !== 'string');
  const allowed = typesOf(parsed);
  return candidates.filter((t) => allowed === '*' || allowed.has(t));
}
