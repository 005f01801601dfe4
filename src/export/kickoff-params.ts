// Validates a kick-off's parameters before any job exists (docs/behaviour.md, "Errors"). Verto's
// facade documents one parameter, `_type`; anything else is refused with a message saying so,
// unless the client asked for lenient handling, in which case each ignored item is reported
// in the manifest's `error` files.
import type { Parameters } from '../fhir/r4.js';
import { HttpError, badRequest, notSupported } from '../errors.js';
import { EXPORTABLE_TYPES, exportableTypes } from '../fhir/resource-types.js';
import { ASSOCIATED_TYPE, type ExportSelection } from './selection.js';
import { parseTypeFilter, typeFilterQueries } from './type-filter.js';

export interface KickoffParams {
  types: string[];
  ignored: string[];
  /** Standard-profile selection; absent for a plain system-level export. */
  selection?: ExportSelection;
}

/** A parameter name and its raw values, in the order they came. */
export type RawParams = [name: string, values: string[]][];

/** Reads a parsed query string (each value a string or, when repeated, an array of strings). */
export function paramsFromQuery(query: unknown): RawParams {
  if (typeof query !== 'object' || query === null) return [];
  return Object.entries(query).map(([name, v]: [string, unknown]) => [name, Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]]);
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
    const value =
      p.valueString ?? p.valueCode ?? p.valueUri ?? p.valueInstant ?? p.valueDateTime ?? p.valueReference?.reference;
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

/**
 * A standard-profile POST's parameters: those of its URL and those of its Parameters body
 * (absent when the POST has no body). A parameter may come from one place only: given in
 * both, it is refused, naming each such parameter.
 */
export function paramsFromPost(fromUrl: RawParams, fromBody: RawParams | undefined): RawParams {
  if (fromBody === undefined) return fromUrl;
  const inBody = new Set(fromBody.map(([name]) => name));
  const both = fromUrl.map(([name]) => name).filter((name) => inBody.has(name));
  if (both.length > 0) {
    throw badRequest(
      `A POST kick-off gives each parameter once, in the URL or in the Parameters body: ${both.map((n) => `"${n}"`).join(', ')} ${both.length === 1 ? 'is' : 'are'} in both.`,
      both[0],
    );
  }
  return [...fromUrl, ...fromBody];
}

function suggestion(value: string, exportable: readonly string[]): string {
  const match = exportable.find((t) => t.toLowerCase() === value.toLowerCase());
  return match ? ` Did you mean "${match}"? Type names are case-sensitive.` : '';
}

export interface KickoffContext {
  lenient: boolean;
  profile: 'verto' | 'standard';
  level: ExportSelection['level'];
  groupId?: string;
  /** The server's now, in ms: `_since` and `_until` may not be after it. */
  now: number;
  /** `Prefer: handling=strict`: an includeAssociatedData value this server does not support is refused, not ignored. */
  strict?: boolean;
}

const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const ELEMENT = /^([A-Z][A-Za-z]+\.)?[a-z][A-Za-z0-9]*(\[x\])?$/;
const PATIENT_REFERENCE = /^Patient\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * The standard-profile parameters, by name; each reads its values into the selection, and may
 * return what it ignored, for the manifest's error file.
 */
type StandardParam = (values: string[], selection: ExportSelection, ctx: KickoffContext) => string[] | void;

/** The includeAssociatedData values this server supports (Bulk Data IG), and what each exports. */
const ASSOCIATED_DATA: Record<string, 'latest' | 'relevant'> = {
  LatestProvenanceResources: 'latest',
  RelevantProvenanceResources: 'relevant',
};

const single = (name: string, values: string[]): string => {
  if (values.length !== 1 || values[0] === '') throw badRequest(`${name} must be given once, with a value.`, name);
  return values[0]!;
};

const instant = (name: string, values: string[], now: number): string => {
  const value = single(name, values);
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (!INSTANT.test(value) || Number.isNaN(ms)) {
    throw badRequest(`${name} "${value}" is not a FHIR instant such as 2025-01-01T00:00:00Z.`, name);
  }
  if (ms > now) throw badRequest(`${name} "${value}" is in the future (the server's time is ${new Date(now).toISOString()}).`, name);
  return new Date(ms).toISOString();
};

const STANDARD_PARAMS: Record<string, StandardParam> = {
  _outputFormat(values) {
    const value = single('_outputFormat', values);
    if (!OUTPUT_FORMATS.includes(value)) {
      throw badRequest(`_outputFormat "${value}" is not supported; use one of: ${OUTPUT_FORMATS.join(', ')}.`, '_outputFormat');
    }
  },
  _since(values, selection, ctx) {
    selection.since = instant('_since', values, ctx.now);
  },
  _until(values, selection, ctx) {
    selection.until = instant('_until', values, ctx.now);
  },
  _elements(values, selection) {
    const items = values.flatMap((v) => v.split(',')).map((v) => v.trim());
    for (const item of items) {
      if (!ELEMENT.test(item)) throw badRequest(`_elements names "${item}", which is not an element name (e.g. status or Observation.code).`, '_elements');
    }
    selection.elements = [...(selection.elements ?? []), ...items];
  },
  _typeFilter(values, selection, ctx) {
    const items = values.flatMap(typeFilterQueries);
    const isType = (type: string) => exportableTypes(ctx.profile).includes(type);
    selection.typeFilters = [...(selection.typeFilters ?? []), ...items.map((i) => parseTypeFilter(i, isType))];
  },
  patient(values, selection, ctx) {
    if (ctx.level === 'system') {
      throw badRequest('The patient parameter is for Patient/$export and Group/[id]/$export, not the system-level $export.', 'patient');
    }
    const ids = values.map((v) => {
      const m = PATIENT_REFERENCE.exec(v);
      if (!m) throw badRequest(`patient "${v}" is not a Patient reference such as Patient/123.`, 'patient');
      return m[1]!;
    });
    selection.patients = [...new Set([...(selection.patients ?? []), ...ids])];
  },
  includeAssociatedData(values, selection, ctx) {
    // A comma list, the parameter repeated, or both. A value this server does not support is
    // ignored (and reported), unless the client asked for strict handling.
    const items = values.flatMap((v) => v.split(',')).map((v) => v.trim());
    const supported = Object.keys(ASSOCIATED_DATA);
    const ignored: string[] = [];
    for (const item of items) {
      if (Object.hasOwn(ASSOCIATED_DATA, item)) {
        const provenance = ASSOCIATED_DATA[item]!;
        if (selection.associated?.provenance !== 'relevant') selection.associated = { provenance, types: [] };
        continue;
      }
      const message = `includeAssociatedData "${item}" is not supported by this server (supported: ${supported.join(', ')}).`;
      if (ctx.strict) throw notSupported(`${message} It was refused (Prefer: handling=strict).`, 'includeAssociatedData');
      ignored.push(`${message} It was ignored.`);
    }
    return ignored;
  },
};

export function validateKickoff(params: RawParams, ctx: KickoffContext): KickoffParams {
  const { lenient, profile } = ctx;
  const exportable = exportableTypes(profile);
  const ignored: string[] = [];
  const lenientNote = ' It was ignored (Prefer: handling=lenient).';
  const reject = (message: string, expression: string, error = badRequest) => {
    if (!lenient) throw error(message, expression);
    ignored.push(`${message}${lenientNote}`);
  };
  const selection: ExportSelection = { level: ctx.level, ...(ctx.groupId ? { groupId: ctx.groupId } : {}) };

  let types: string[] | undefined;
  for (const [name, values] of params) {
    if (name !== '_type') {
      // Own keys only: "__proto__" or "constructor" must not find Object.prototype's members.
      const standard = profile === 'standard' && Object.hasOwn(STANDARD_PARAMS, name) ? STANDARD_PARAMS[name] : undefined;
      if (!standard) {
        reject(
          profile === 'verto'
            ? `The parameter "${name}" is not supported: Verto's FHIR Facade documents only the _type parameter.`
            : `The parameter "${name}" is not supported by this server.`,
          name,
          notSupported,
        );
        continue;
      }
      try {
        ignored.push(...(standard(values, selection, ctx) ?? []));
      } catch (err) {
        if (!lenient || !(err instanceof HttpError)) throw err;
        ignored.push(`${err.message}${lenientNote}`);
      }
      continue;
    }
    types ??= [];
    const items = values.flatMap((v) => v.split(',')).map((s) => s.trim());
    if (items.length === 0 || items.some((s) => s === '')) {
      throw badRequest('_type has an empty value; give a comma-separated list such as _type=Patient,Condition.', '_type');
    }
    for (const item of items) {
      if (exportable.includes(item)) {
        if (!types.includes(item)) types.push(item);
      } else {
        reject(
          `_type names "${item}", which this server does not export.${suggestion(item, exportable)} Exportable types: ${exportable.join(', ')}.`,
          '_type',
        );
      }
    }
  }
  if (selection.since && selection.until && selection.until < selection.since) {
    reject('_until is before _since.', '_until');
    delete selection.until;
  }
  const plain = selection.level === 'system' && Object.keys(selection).length === 1;
  const exported = types ?? [...EXPORTABLE_TYPES];
  // The associated Provenance is of the types exported, as the token's scope leaves them
  // (withAssociatedData, once the route has applied it).
  if (selection.associated) selection.associated.types = [...exported];
  return { types: exported, ignored, ...(plain ? {} : { selection }) };
}

/**
 * The kick-off's types once the token's scope has narrowed them, with the Provenance that
 * `includeAssociatedData` asks for as one more type, after the others. A token whose scope does
 * not cover Provenance gets none: the request is ignored and reported in the error file, as the
 * download of a Provenance file would be refused to that token.
 */
export function withAssociatedData(params: KickoffParams, types: string[], provenanceInScope: boolean): KickoffParams {
  const associated = params.selection?.associated;
  if (!associated) return { ...params, types };
  if (!provenanceInScope) {
    const selection = { ...params.selection! };
    delete selection.associated;
    const plain = selection.level === 'system' && Object.keys(selection).length === 1;
    return {
      types,
      ignored: [...params.ignored, `includeAssociatedData asks for ${ASSOCIATED_TYPE}, outside this token's scope. It was ignored.`],
      ...(plain ? {} : { selection }),
    };
  }
  return {
    ...params,
    types: [...types, ASSOCIATED_TYPE],
    selection: { ...params.selection!, associated: { ...associated, types: [...types] } },
  };
}
