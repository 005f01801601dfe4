// Closing the server does not wait on clients: a keep-alive connection whose response was
// still streaming when the server started closing is closed as soon as that response ends,
// not when the client's keep-alive lapses (Fastify's keepAliveTimeout is 72 s).
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, bearer, buildTestApp, getToken, pollUntilDone, type Manifest, type TestApp } from '../helper.js';
import { listen } from './support/http-client.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

describe('closing the server', () => {
  it('ends a keep-alive connection whose download finishes after closing began, then finishes closing', async () => {
    // One file with every Observation: far more than the socket buffers hold.
    t = await buildTestApp({ FILE_MAX_RESOURCES: '1000000' });
    const { app } = t;
    const port = await listen(app);
    const token = await getToken(app);
    const kickOff = await app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Observation`, headers: bearer(token) });
    expect(kickOff.statusCode).toBe(202);
    const { final } = await pollUntilDone(t, kickOff.headers['content-location'] as string, token);
    const manifest = final.json() as Manifest;
    expect(manifest.output).toHaveLength(1);

    let response: ServerResponse | undefined;
    app.server.on('request', (_req, res: ServerResponse) => (response = res));

    // A keep-alive download read up to its headers, then held.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let held = false;
    const headersDone = new Promise<void>((resolve) => {
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        received += chunk;
        if (!held && received.includes('\r\n\r\n')) {
          held = true;
          socket.pause();
          resolve();
        }
      });
    });
    const closedByServer = new Promise<void>((resolve, reject) => {
      socket.on('end', resolve);
      socket.on('error', reject);
    });
    socket.write(`GET ${BASE}${manifest.output[0]!.url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    await headersDone;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received.toLowerCase()).not.toContain('connection: close');
    // The premise: the download is still streaming when the server starts closing.
    expect(response?.writableFinished).toBe(false);

    const closing = app.close();
    while (app.server.listening) await tick();
    socket.resume();
    await closedByServer;
    await closing;
    t = undefined;

    // The client got the whole file, up to its last chunk, before the server closed the connection.
    expect(received.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(received.endsWith('\n\r\n0\r\n\r\n')).toBe(true);
    expect(received.split('"resourceType":"Observation"').length - 1).toBe(manifest.output[0]!.count);
    socket.destroy();
  });
});
