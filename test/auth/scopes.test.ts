// The scope rules alone: parsing, granting within a pre-authorization, and what a token reads.
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { describe, expect, it } from 'vitest';
import { ScopeError, allowedTypes, formatScope, grantScopes, parseScopes } from '../../src/auth/scopes.js';

describe('parseScopes', () => {
  it('reads v1 and v2 system scopes', () => {
    expect(parseScopes('system/*.read system/Patient.rs system/Condition.* system/Observation.cruds')).toEqual([
      { type: '*', syntax: 'v1' },
      { type: 'Patient', syntax: 'v2' },
      { type: 'Condition', syntax: 'v1' },
      { type: 'Observation', syntax: 'v2' },
    ]);
  });

  it('names every scope it cannot grant, at once', () => {
    expect(() => parseScopes('system/*.read openid system/Foo.read')).toThrow(
      new ScopeError(
        '"openid" is not a system scope; ask for system/<type or *>.<read or rs>, e.g. system/*.read. ' +
          '"system/Foo.read": Foo is not a resource type this server serves ' +
          `(${[...EXPORTABLE_TYPES, 'Group', 'Provenance'].join(', ')}).`,
      ),
    );
  });

  it.each(['system/Patient.sr', 'system/Patient.rsx', 'system/Patient.READ'])('refuses the permission in %s', (scope) => {
    expect(() => parseScopes(scope)).toThrow(/is not a permission/);
  });

  it.each(['system/Patient.c', 'system/Patient.rud', 'system/Patient.s'])('refuses %s, which lacks read or search', (scope) => {
    expect(() => parseScopes(scope)).toThrow(/needs both r and s/);
  });

  it('writes a granted scope back in the client syntax, reduced to reading', () => {
    expect(parseScopes('system/*.* system/Patient.cruds').map(formatScope)).toEqual(['system/*.read', 'system/Patient.rs']);
  });
});

describe('grantScopes', () => {
  const pre = parseScopes('system/Patient.read system/Condition.read');

  it('grants what was asked when the client is authorized for everything', () => {
    expect(grantScopes(parseScopes('system/*.rs'), undefined)).toEqual(['system/*.rs']);
    expect(grantScopes(parseScopes('system/*.rs'), parseScopes('system/*.read'))).toEqual(['system/*.rs']);
  });

  it('narrows a wildcard to the pre-authorized types, in the asked syntax', () => {
    expect(grantScopes(parseScopes('system/*.rs'), pre)).toEqual(['system/Patient.rs', 'system/Condition.rs']);
  });

  it('drops types outside the pre-authorization, and grants nothing when none is left', () => {
    expect(grantScopes(parseScopes('system/Patient.read system/Observation.read'), pre)).toEqual(['system/Patient.read']);
    expect(grantScopes(parseScopes('system/Observation.read'), pre)).toEqual([]);
  });
});

describe('allowedTypes', () => {
  it('allows everything to a token without scopes (password grant, AUTH=off)', () => {
    expect(allowedTypes(null, ['Patient', 'Condition'])).toEqual(['Patient', 'Condition']);
  });

  it('keeps the candidates the scopes cover, in the candidates order', () => {
    expect(allowedTypes(['system/Condition.rs', 'system/Patient.read'], ['Patient', 'Encounter', 'Condition'])).toEqual(['Patient', 'Condition']);
    expect(allowedTypes(['system/*.read'], ['Encounter'])).toEqual(['Encounter']);
    expect(allowedTypes(['system/Group.read'], ['Patient'])).toEqual([]);
  });
});
