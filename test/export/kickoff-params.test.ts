import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/errors.js';
import { paramsFromBody, paramsFromQuery, validateKickoff, type KickoffContext } from '../../src/export/kickoff-params.js';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';

const verto: KickoffContext = { lenient: false, profile: 'verto', level: 'system', now: Date.UTC(2026, 2, 1) };

const fails = (fn: () => unknown): HttpError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
};

describe('validateKickoff', () => {
  it('exports every type when _type is absent', () => {
    expect(validateKickoff([], verto)).toEqual({ types: [...EXPORTABLE_TYPES], ignored: [] });
  });

  it('takes a comma list, repeated parameters, trims and de-duplicates in order', () => {
    const raw = paramsFromQuery({ _type: ['Condition, Patient', 'Condition,Observation'] });
    expect(validateKickoff(raw, verto).types).toEqual(['Condition', 'Patient', 'Observation']);
  });

  it('rejects an unknown type, naming it and listing the exportable types', () => {
    const err = fails(() => validateKickoff(paramsFromQuery({ _type: 'Patient,Banana' }), verto));
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue[0]).toMatchObject({ code: 'invalid', expression: ['_type'] });
    expect(err.outcome.issue[0]!.diagnostics).toContain('"Banana"');
    expect(err.outcome.issue[0]!.diagnostics).toContain(`Exportable types: ${EXPORTABLE_TYPES.join(', ')}.`);
  });

  it('suggests the right case for a mis-cased type', () => {
    const err = fails(() => validateKickoff(paramsFromQuery({ _type: 'patient' }), verto));
    expect(err.outcome.issue[0]!.diagnostics).toContain('Did you mean "Patient"?');
  });

  it.each([[''], ['Patient,'], [',']])('rejects an empty item in _type=%j', (value) => {
    const err = fails(() => validateKickoff(paramsFromQuery({ _type: value }), verto));
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue[0]!.diagnostics).toContain('_type has an empty value');
  });

  it("refuses parameters Verto's facade does not document", () => {
    const err = fails(() => validateKickoff(paramsFromQuery({ _type: 'Patient', _since: '2020-01-01' }), verto));
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue[0]).toMatchObject({ code: 'not-supported', expression: ['_since'] });
    expect(err.outcome.issue[0]!.diagnostics).toBe(
      `The parameter "_since" is not supported: Verto's FHIR Facade documents only the _type parameter.`,
    );
  });

  it('under lenient handling ignores and reports unsupported parameters and unknown types', () => {
    const result = validateKickoff(paramsFromQuery({ _since: '2020', _type: 'Patient,Banana' }), { ...verto, lenient: true });
    expect(result.types).toEqual(['Patient']);
    expect(result.ignored).toHaveLength(2);
    expect(result.ignored[0]).toContain('"_since"');
    expect(result.ignored[1]).toContain('"Banana"');
  });
});

describe('paramsFromBody', () => {
  it('reads _type from valueString entries, several allowed', () => {
    const raw = paramsFromBody({
      resourceType: 'Parameters',
      parameter: [
        { name: '_type', valueString: 'Patient' },
        { name: '_type', valueString: 'Condition' },
      ],
    });
    expect(raw).toEqual([['_type', ['Patient', 'Condition']]]);
  });

  it.each([
    [undefined, 'must be a FHIR Parameters resource'],
    [[], 'must be a FHIR Parameters resource'],
    [{ resourceType: 'Patient' }, 'must be a FHIR Parameters resource'],
    [{ resourceType: 'Parameters', parameter: {} }, 'Parameters.parameter must be an array'],
    [{ resourceType: 'Parameters', parameter: [{ valueString: 'x' }] }, 'needs a "name"'],
    [{ resourceType: 'Parameters', parameter: [{ name: '_type', valueInteger: 3 }] }, 'needs a valueString'],
  ])('rejects %j', (body, message) => {
    const err = fails(() => paramsFromBody(body));
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue[0]!.diagnostics).toContain(message);
  });
});
