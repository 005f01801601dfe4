// The recorder that buildTestApp attaches: it must catch a server that departs from the
// document, whether the test uses inject or supertest, and whatever the body is sent as.
import { Readable } from 'node:stream';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { recordContract, takeViolations } from './recorder.js';

const POLL = '/api/v1/connect/fhir/$export-poll-status';
const FILE_ID = '96f17e86-7aba-4c8c-894d-84cb4dda65c3';

/** A server that answers the poll with a manifest whose entry says "counts", as a stream. */
async function brokenServer(onViolation?: (problem: string) => void): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(swagger, { mode: 'static', specification: { document: loadDocument() as never } });
  await app.register(compress, { global: true, threshold: 0 });
  recordContract(app, onViolation);
  app.get(POLL, async (_request, reply) => {
    const manifest = {
      transactionTime: '2026-03-01T00:00:00.000Z',
      request: 'http://127.0.0.1:3000/api/v1/connect/fhir/$export',
      requiresAccessToken: true,
      output: [{ type: 'Patient', url: `/file/${FILE_ID}/download`, counts: 60 }],
      error: [],
    };
    return reply
      .header('expires', 'Sun, 01 Mar 2026 01:00:00 GMT')
      .header('x-request-id', 'r-1')
      .type('application/json')
      .send(Readable.from([JSON.stringify(manifest)]));
  });
  app.get('/health', async (_request, reply) => reply.code(204).header('x-request-id', 'r-2').send());
  await app.ready();
  return app;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const COUNT_RENAMED = [
  `GET ${POLL} → 200: body/output/0 must have required property 'count'`,
  `GET ${POLL} → 200: body/output/0 must NOT have additional properties ("counts")`,
];

describe('the contract recorder', () => {
  it('catches a streamed, gzipped manifest with "counts" under inject', async () => {
    const problems: string[] = [];
    app = await brokenServer((p) => problems.push(p));
    const res = await app.inject({ method: 'GET', url: POLL, headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(problems).toEqual(COUNT_RENAMED);
  });

  it('catches it under supertest, on a real socket', async () => {
    const problems: string[] = [];
    app = await brokenServer((p) => problems.push(p));
    const res = await request(app.server).get(POLL);
    expect(res.status).toBe(200);
    expect(problems).toEqual(COUNT_RENAMED);
  });

  it('catches an undeclared status', async () => {
    const problems: string[] = [];
    app = await brokenServer((p) => problems.push(p));
    await app.inject({ method: 'GET', url: '/health' });
    expect(problems).toEqual(['GET /health → 204: status 204 is not declared for GET /health (declared: 200, 400, 503)']);
  });

  it('by default keeps what it finds for the check after each test (contract-setup.ts)', async () => {
    app = await brokenServer();
    await app.inject({ method: 'GET', url: POLL });
    // Taken here so that this test, which breaks the contract on purpose, still passes.
    expect(takeViolations()).toEqual(COUNT_RENAMED);
    expect(takeViolations()).toEqual([]);
  });

  it('leaves Swagger UI and CORS preflights alone', async () => {
    const problems: string[] = [];
    app = Fastify({ logger: false });
    await app.register(swagger, { mode: 'static', specification: { document: loadDocument() as never } });
    recordContract(app, (p) => problems.push(p));
    app.get('/docs', async () => 'page');
    app.options('/health', async () => '');
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'OPTIONS', url: '/health' })).statusCode).toBe(200);
    expect(problems).toEqual([]);
  });
});
