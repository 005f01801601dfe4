// The mock controls (/_mock/) in the API document: the scenario names are the catalog's and are
// listed once, every kick-off takes X-Mock-Scenario, the controls are tagged and guarded as the
// document says, and their examples are what the server answers.
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { SCENARIO_NAMES } from '../../src/scenarios/catalog.js';
import { buildTestApp, type TestApp } from '../helper.js';

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { $ref?: string }[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string; content?: Record<string, { example?: unknown }> }>;
}

const document = loadDocument() as unknown as {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, { enum?: string[] }>;
    parameters: Record<string, { name: string; in: string; style?: string; explode?: boolean; schema: unknown }>;
    securitySchemes: Record<string, unknown>;
  };
};

const METHODS = ['get', 'post', 'delete'] as const;
const MOCK = '/_mock/';

function operations(filter: (path: string) => boolean): [string, string, Operation][] {
  return Object.entries(document.paths)
    .filter(([path]) => filter(path))
    .flatMap(([path, item]) => METHODS.filter((m) => m in item).map((m): [string, string, Operation] => [m.toUpperCase(), path, item[m] as Operation]));
}

const controls = () => operations((path) => path.startsWith(MOCK));

/** Every `enum` in the document that names a scenario, by JSON pointer. */
function scenarioEnums(value: unknown, pointer = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => scenarioEnums(v, `${pointer}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'enum' && Array.isArray(v) && v.includes('kickoff-error') ? [`${pointer}/enum`] : scenarioEnums(v, `${pointer}/${key}`),
  );
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

describe('scenario names', () => {
  it("are the catalog's, in its order, in one enum", () => {
    expect(document.components.schemas.ScenarioName!.enum).toEqual(SCENARIO_NAMES);
    expect(scenarioEnums(document)).toEqual(['/components/schemas/ScenarioName/enum']);
  });

  it('X-Mock-Scenario is a comma list of them, taken by every kick-off', () => {
    expect(document.components.parameters.MockScenario).toMatchObject({
      name: 'X-Mock-Scenario',
      in: 'header',
      schema: { type: 'string' },
    });
    const kickOffs = operations((path) => path.endsWith('/$export'));
    expect(kickOffs.map(([method, path]) => `${method} ${path}`)).toEqual([
      'GET /api/v1/connect/fhir/$export',
      'POST /api/v1/connect/fhir/$export',
      'GET /api/v1/connect/fhir/Patient/$export',
      'POST /api/v1/connect/fhir/Patient/$export',
      'GET /api/v1/connect/fhir/Group/{groupId}/$export',
      'POST /api/v1/connect/fhir/Group/{groupId}/$export',
    ]);
    for (const [method, path, op] of kickOffs) {
      expect(op.parameters, `${method} ${path}`).toContainEqual({ $ref: '#/components/parameters/MockScenario' });
    }
  });
});

describe('the mock controls in the document', () => {
  it('come after every public path, tagged "Mock controls", a tag no public operation has', () => {
    const paths = Object.keys(document.paths);
    const firstControl = paths.findIndex((p) => p.startsWith(MOCK));
    expect(paths.slice(firstControl)).toEqual([
      '/_mock/scenarios',
      '/_mock/reset',
      '/_mock/clock',
      '/_mock/requests',
      '/_mock/exports/{jobId}/report',
    ]);
    expect(document.tags.map((tag) => tag.name).at(-1)).toBe('Mock controls');
    for (const [method, path, op] of controls()) expect(op.tags, `${method} ${path}`).toEqual(['Mock controls']);
    for (const [method, path, op] of operations((p) => !p.startsWith(MOCK))) {
      expect(op.tags, `${method} ${path}`).not.toContain('Mock controls');
    }
  });

  it('take the admin secret, optionally, and declare its 401 and 403', () => {
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path, op] of controls()) {
      const at = `${method} ${path}`;
      expect(op.security, at).toEqual([{ adminToken: [] }, {}]);
      expect(op.responses['401'], at).toEqual({ $ref: '#/components/responses/AdminUnauthorized' });
      expect(op.responses['403'], at).toEqual({ $ref: '#/components/responses/AdminClosed' });
    }
    for (const [method, path, op] of operations((p) => !p.startsWith(MOCK))) {
      expect(JSON.stringify(op.security ?? []), `${method} ${path}`).not.toContain('adminToken');
    }
  });

  it('declare 413 and 415 wherever the server reads a body, and an example of each body', () => {
    for (const [method, path, op] of controls()) {
      const at = `${method} ${path}`;
      const statuses = Object.keys(op.responses);
      if (method === 'GET') expect(statuses, at).not.toContain('413');
      else expect(statuses, at).toEqual(expect.arrayContaining(['400', '413', '415']));
      expect(op.responses['200']!.content!['application/json']!.example, at).toBeDefined();
      const body = op.requestBody as { content: Record<string, { example?: unknown }> } | undefined;
      if (body) expect(body.content['application/json']!.example, at).toBeDefined();
    }
  });
});

describe("the mock controls' examples are what the server answers", () => {
  const example = (method: string, path: string) =>
    ((document.paths[path]![method] as Operation).responses['200']!.content!['application/json']!.example) as object;
  const send = async (options: InjectOptions) => {
    const res = await t!.app.inject(options);
    expect(res.statusCode).toBe(200);
    return res.json() as object;
  };

  it('POST, GET and DELETE /_mock/scenarios', async () => {
    t = await buildTestApp();
    const arm = (document.paths['/_mock/scenarios']!.post as { requestBody: { content: Record<string, { example: object }> } })
      .requestBody.content['application/json']!.example;
    expect(await send({ method: 'POST', url: '/_mock/scenarios', payload: arm })).toEqual(example('post', '/_mock/scenarios'));
    await send({ method: 'POST', url: '/_mock/scenarios', payload: { scenario: 'slow' } });
    expect(await send({ method: 'GET', url: '/_mock/scenarios' })).toEqual(example('get', '/_mock/scenarios'));
    expect(await send({ method: 'DELETE', url: '/_mock/scenarios' })).toEqual(example('delete', '/_mock/scenarios'));
  });
});
