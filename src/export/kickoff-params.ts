// Validates a kick-off's parameters before any job exists (CONTRACT.md, "Errors"). Verto's
// facade documents one parameter, `_type`; anything else is refused with a message saying so,
// unless the client asked for lenient handling, in which case each ignored item is reported
// in the manifest's `error` files.
import type { Parameters } from '../fhir/r4.js';
import { badRequest, notSupported } from '../errors.js';
import { EXPORTABLE_TYPES, isExportableType } from '../fhir/resource-types.js';

export interface KickoffParams {
  types: string[];
  ignored: string[];
}

/** A parameter name and its raw values, in the order they came. */
export type RawParams = [name: string, values: string[]][];

export function paramsFromQuery(query: Record<string, string | string[] | undefined>): RawParams {
  return Object.entries(query).map(([name, v]) => [name, v === undefined ? [] : Array.isArray(v) ? v : [v]]);
}

/** Reads a FHIR Parameters body; every value must be a string (the only kind `_type` takes). */
export function paramsFromBody(body: unknown): RawParams {
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'Parameters') {
    throw badRequest('The body of a POST kick-off must be a FHIR Parameters resource ({"resourceType": "Parameters", ...}).');
  }
  const parameter = (body as Parameters).parameter ?? [];
  if (!Array.isArray(parameter)) throw badRequest('Parameters.parameter must be an array.', 'Parameters.parameter');
  const params: RawParams = [];
  for (const [i, p] of parameter.entries()) {
    if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || p.name === '') {
      throw badRequest(`Parameters.parameter[${i}] needs a "name".`, `Parameters.parameter[${i}]`);
    }
    const value = p.valueString ?? p.valueCode ?? p.valueUri;
    const existing = params.find(([n]) => n === p.name);
    const values = typeof value === 'string' ? [value] : [];
    if (typeof value !== 'string' && p.name === '_type') {
      throw badRequest(`Parameters.parameter[${i}] (_type) needs a valueString such as "Patient,Condition".`, `Parameters.parameter[${i}]`);
    }
    if (existing) existing[1].push(...values);
    else params.push([p.name, values]);
  }
  return params;
}

function suggestion(value: string): string {
  const match = EXPORTABLE_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
  return match ? ` Did you mean "${match}"? Type names are case-sensitive.` : '';
}

export function validateKickoff(params: RawParams, lenient: boolean): KickoffParams {
  const ignored: string[] = [];
  const reject = (message: string, expression: string, error = badRequest) => {
    if (!lenient) throw error(message, expression);
    ignored.push(`${message} It was ignored (Prefer: handling=lenient).`);
  };

  let types: string[] | undefined;
  for (const [name, values] of params) {
    if (name !== '_type') {
      reject(
        `The parameter "${name}" is not supported: Verto's FHIR Facade documents only the _type parameter.`,
        name,
        notSupported,
      );
      continue;
    }
    types ??= [];
    const items = values.flatMap((v) => v.split(',')).map((s) => s.trim());
    if (items.length === 0 || items.some((s) => s === '')) {
      throw badRequest('_type has an empty value; give a comma-separated list such as _type=Patient,Condition.', '_type');
    }
    for (const item of items) {
      if (isExportableType(item)) {
        if (!types.includes(item)) types.push(item);
      } else {
        reject(
          `_type names "${item}", which this server does not export.${suggestion(item)} Exportable types: ${EXPORTABLE_TYPES.join(', ')}.`,
          '_type',
        );
      }
    }
  }
  return { types: types ?? [...EXPORTABLE_TYPES], ignored };
}
