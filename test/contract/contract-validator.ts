// Checks one HTTP exchange against the API document: the operation the request reached, the
// status declared for it, the declared headers (and no undeclared API headers), the content
// type, and the body against the schema for that status and content type. The schemas are
// checked by Ajv in the JSON Schema 2020-12 dialect that OpenAPI 3.1 uses; this file only
// finds which schema applies.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The parts of an OpenAPI 3.1 document this checker reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  'x-undocumented-requests': { unknownPath: unknown; unsupportedMethod: unknown; refused: unknown };
  [key: string]: unknown;
}

export interface Exchange {
  method: string;
  /** The request path as the server routed it, without the query. */
  path: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as sent on the wire (possibly compressed, as Content-Encoding says). */
  body: Buffer;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Headers that belong to HTTP itself, the transport or CORS rather than to the API; any other
 * header a response carries must be declared for that response.
 */
const TRANSPORT_HEADERS = /^(content-type|content-length|content-encoding|transfer-encoding|date|connection|keep-alive|vary|access-control-.*)$/;

/** OpenAPI 3.1's base dialect adds these annotation keywords to JSON Schema 2020-12. */
const OAS_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

const DOCUMENT_ID = 'openapi.json';

interface Located<T = Record<string, unknown>> {
  value: T;
  /** JSON pointer of `value` inside the document. */
  pointer: string;
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function describeErrors(errors: ErrorObject[] | null | undefined, what: string): string[] {
  return (errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${what}${e.instancePath} ${e.message}${extra ? ` ("${extra}")` : ''}`;
  });
}

function headerValue(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new Error(`unknown content-encoding "${encoding}"`);
  }
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/** The methods `document` describes for the path `template`, upper-case. */
export function documentedMethods(document: OpenApiDocument, template: string): string[] {
  const item = document.paths[template] ?? {};
  return METHODS.filter((m) => m in item).map((m) => m.toUpperCase());
}

export class ContractValidator {
  private readonly bodies: Ajv2020;
  /** Header values arrive as strings: this instance coerces them to the declared types. */
  private readonly headerValues: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { regex: RegExp; template: string; params: number }[];

  constructor(readonly document: OpenApiDocument) {
    const make = (coerceTypes: boolean) => {
      const ajv = new Ajv2020({ strict: true, allErrors: true, coerceTypes });
      addFormats(ajv);
      ajv.addVocabulary(OAS_KEYWORDS);
      // The document is added whole so that its `$ref`s resolve; its top-level fields
      // (openapi, info, paths, ...) are not schema keywords and must not trip strict mode.
      ajv.addVocabulary(Object.keys(document).filter((k) => !ajv.getKeyword(k)));
      ajv.addSchema(document as object, DOCUMENT_ID);
      return ajv;
    };
    this.bodies = make(false);
    this.headerValues = make(true);
    this.routes = Object.keys(document.paths)
      .map((template) => {
        const pattern = template
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith('{') ? '([^/]*)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('');
        return { regex: new RegExp(`^${pattern}$`), template, params: (template.match(/\{/g) ?? []).length };
      })
      // A literal path wins over a template that also matches it.
      .sort((a, b) => a.params - b.params);
  }

  /** The document path template a request path falls under, if any. */
  templateOf(path: string): string | undefined {
    return this.routes.find((r) => r.regex.test(path))?.template;
  }

  /** The documented methods of a path template, upper-case. */
  methodsOf(template: string): string[] {
    return documentedMethods(this.document, template);
  }

  /** Whether the path answers HEAD as its GET (unless the document says `x-head: false`). */
  answersHead(template: string): boolean {
    const item = this.document.paths[template] ?? {};
    return 'head' in item || ('get' in item && item['x-head'] !== false);
  }

  /** Every way `exchange` departs from the document; empty when it conforms. */
  check(exchange: Exchange): string[] {
    const method = exchange.method.toUpperCase();
    const label = `${method} ${exchange.path} → ${exchange.status}`;
    const response = this.responseFor(exchange, method, label);
    if (typeof response === 'string') return [response];
    return [
      ...this.checkHeaders(response, exchange).map((p) => `${label}: ${p}`),
      ...this.checkBody(response, exchange).map((p) => `${label}: ${p}`),
    ];
  }

  /** The documented response `exchange` must match, or why there is none. */
  private responseFor(exchange: Exchange, method: string, label: string): Located | string {
    const fallbacks = '/x-undocumented-requests';
    // A request no operation describes (an unknown path, or a method a path does not have)
    // may still be refused before routing decides (no Host, a malformed URL, an unreadable
    // body, shutting down).
    // A documented operation's refusals are its own declared responses, never these.
    const refused = (): Located | undefined => {
      const statuses = (this.resolve(fallbacks).value['refused'] as { 'x-statuses': number[] })['x-statuses'];
      return statuses.includes(exchange.status) ? this.resolve(`${fallbacks}/refused`) : undefined;
    };
    const template = this.templateOf(exchange.path);
    if (template === undefined) {
      if (exchange.status === 404) return this.resolve(`${fallbacks}/unknownPath`);
      return refused() ?? `${label}: the path is not in the document, so the answer must be 404`;
    }
    const lower = method.toLowerCase();
    const operationMethod = method === 'HEAD' && !this.has(template, 'head') && this.answersHead(template) ? 'get' : lower;
    if (this.has(template, operationMethod)) {
      const opPointer = `/paths/${escapePointer(template)}/${operationMethod}`;
      const declared = this.declaredResponse(opPointer, exchange.status);
      if (declared) return declared;
      const statuses = Object.keys(this.resolve(`${opPointer}/responses`).value).join(', ');
      return `${label}: status ${exchange.status} is not declared for ${method} ${template} (declared: ${statuses})`;
    }
    // A method the path does not have: 405 with the path's methods in Allow, or (for a method
    // the server does not route at all) the unknown-path 404.
    if (exchange.status === 404) return this.resolve(`${fallbacks}/unknownPath`);
    if (exchange.status !== 405) {
      return refused() ?? `${label}: ${method} is not documented for ${template}, so the answer must be 405`;
    }
    const documented = this.methodsOf(template);
    const expected = this.answersHead(template) && !documented.includes('HEAD') ? [...documented, 'HEAD'] : documented;
    const allow = headerValue(exchange.headers.allow);
    if (allow !== undefined && allow !== expected.join(', ')) {
      return `${label}: Allow is "${allow}" but the document has "${expected.join(', ')}" for ${template}`;
    }
    return this.resolve(`${fallbacks}/unsupportedMethod`);
  }

  private has(template: string, method: string): boolean {
    return method in (this.document.paths[template] ?? {});
  }

  private declaredResponse(opPointer: string, status: number): Located | undefined {
    const responses = this.resolve(`${opPointer}/responses`).value;
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    return key === undefined ? undefined : this.resolve(`${opPointer}/responses/${key}`);
  }

  private checkHeaders(response: Located, exchange: Exchange): string[] {
    const problems: string[] = [];
    const declared = new Map<string, Located>();
    const headers = (response.value.headers ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(headers)) {
      declared.set(name.toLowerCase(), this.resolve(`${response.pointer}/headers/${escapePointer(name)}`));
    }
    for (const [name, header] of declared) {
      const value = headerValue(exchange.headers[name]);
      if (value === undefined) {
        if (header.value.required === true) problems.push(`header ${name} is required but missing`);
        continue;
      }
      const validate = this.compile(this.headerValues, `${header.pointer}/schema`, true);
      const holder = { value };
      if (!validate(holder)) problems.push(...describeErrors(validate.errors, `header ${name}`).map((p) => p.replace('/value', '')));
    }
    for (const name of Object.keys(exchange.headers)) {
      const lower = name.toLowerCase();
      if (!declared.has(lower) && !TRANSPORT_HEADERS.test(lower)) {
        problems.push(`header ${lower} is sent but not declared for this response`);
      }
    }
    return problems;
  }

  private checkBody(response: Located, exchange: Exchange): string[] {
    const contentType = headerValue(exchange.headers['content-type']);
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
    const content = response.value.content as Record<string, unknown> | undefined;
    const isHead = exchange.method.toUpperCase() === 'HEAD';
    if (!content) {
      if (exchange.body.length > 0 && !isHead) return ['the response has a body but the document declares none'];
      if (mediaType) return [`the response has Content-Type ${mediaType} but the document declares no content`];
      return [];
    }
    if (!mediaType) return [`the response has no Content-Type; the document declares ${Object.keys(content).join(', ')}`];
    if (!(mediaType in content)) {
      return [`Content-Type ${mediaType} is not declared for this response (declared: ${Object.keys(content).join(', ')})`];
    }
    if (isHead) return [];
    let text: string;
    try {
      text = decode(exchange.body, headerValue(exchange.headers['content-encoding'])).toString('utf8');
    } catch (err) {
      return [`the body could not be decoded: ${(err as Error).message}`];
    }
    let data: unknown = text;
    if (isJson(mediaType)) {
      try {
        data = JSON.parse(text);
      } catch {
        return [`the body is not JSON although its Content-Type is ${mediaType}`];
      }
    }
    const validate = this.compile(this.bodies, `${response.pointer}/content/${escapePointer(mediaType)}/schema`);
    return validate(data) ? [] : describeErrors(validate.errors, 'body');
  }

  private compile(ajv: Ajv2020, pointer: string, wrapped = false): ValidateFunction {
    const key = `${wrapped ? 'header' : 'body'}:${pointer}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const ref = { $ref: `${DOCUMENT_ID}#${pointer.split('/').map(encodeURIComponent).join('/')}` };
      validate = ajv.compile(wrapped ? { type: 'object', properties: { value: ref } } : ref);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** The object at `pointer`, following a `$ref` (local to the document) if it is one. */
  private resolve(pointer: string): Located {
    let value: unknown = this.document;
    for (const segment of pointer.split('/').slice(1)) {
      value = (value as Record<string, unknown> | undefined)?.[unescapePointer(segment)];
    }
    if (value === undefined) throw new Error(`the document has nothing at #${pointer}`);
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
      return this.resolve(ref.slice(1));
    }
    return { value: value as Record<string, unknown>, pointer };
  }
}
