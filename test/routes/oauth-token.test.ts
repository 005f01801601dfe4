// POST /oauth/token: the password grant and RFC 6749 §5.2 errors.
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serviceUnavailable } from '../../src/errors.js';
import { T0, buildTestApp, type TestApp } from '../helper.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.app.close();
});

const token = (payload: string | object, contentType?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload,
    headers: contentType ? { 'content-type': contentType } : {},
  });

describe('POST /oauth/token', () => {
  it('issues a bearer token from a JSON body', async () => {
    const res = await token({ grant_type: 'password', username: 'demo@example.com', password: 'demo' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'created_at', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, created_at: T0 / 1000 });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
  });

  it('issues a token from a form body', async () => {
    const res = await token('grant_type=password&username=demo%40example.com&password=demo', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(200);
  });

  it('gives a different token each time', async () => {
    const body = { grant_type: 'password', username: 'demo@example.com', password: 'demo' };
    const a = (await token(body)).json().access_token;
    const b = (await token(body)).json().access_token;
    expect(a).not.toBe(b);
  });

  it.each([
    [{ grant_type: 'password', username: 'demo@example.com', password: 'wrong' }, 400, 'invalid_grant'],
    [{ grant_type: 'password', username: 'nobody@example.com', password: 'demo' }, 400, 'invalid_grant'],
    [{ grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
    [{ username: 'demo@example.com', password: 'demo' }, 400, 'invalid_request'],
    [{ grant_type: 'password', username: 'demo@example.com' }, 400, 'invalid_request'],
    [{ grant_type: ['password', 'password'], username: 'demo@example.com', password: 'demo' }, 400, 'invalid_request'],
  ])('%j → %i %s', async (payload, status, error) => {
    const res = await token(payload);
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error).toBe(error);
    expect(body.error_description.length).toBeGreaterThan(10);
  });

  it.each([
    ['not json', 'application/json'],
    ['<x/>', 'application/xml'],
    ['[1,2]', 'application/json'],
  ])('an unreadable body (%s, %s) → 400 invalid_request', async (payload, type) => {
    const res = await token(payload, type);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_request');
  });

  it('answers in RFC 6749 terms when the server refuses before the grant: still seeding → 503 temporarily_unavailable', async () => {
    const seeding = vi.spyOn(t.app.store, 'repos').mockImplementation(() => {
      throw serviceUnavailable('The server is still creating its data set; try again shortly.', 5);
    });
    try {
      const res = await token({ grant_type: 'password', username: 'demo@example.com', password: 'demo' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'The server is still creating its data set; try again shortly.' });
    } finally {
      seeding.mockRestore();
    }
  });

  it('answers a token request without Host with 400 invalid_request; another method with the OperationOutcome every path gives', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const send = (request: string) =>
      new Promise<{ head: string; body: unknown }>((resolve, reject) => {
        let text = '';
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        socket.setEncoding('utf8').on('data', (c: string) => (text += c));
        socket.on('close', () => resolve({ head: text.slice(0, text.indexOf('\r\n\r\n')), body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) }));
        socket.on('error', reject);
      });
    const body = JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' });
    const post = await send(`POST /oauth/token HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(post.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(post.body).toEqual({ error: 'invalid_request', error_description: 'An HTTP/1.1 request needs a Host header.' });
    const get = await send('GET /oauth/token HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(get.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(get.head.toLowerCase()).toContain('content-type: application/fhir+json');
    expect(get.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'An HTTP/1.1 request needs a Host header.' }] });
  });
});
