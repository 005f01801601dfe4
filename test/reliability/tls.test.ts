// HTTPS on demand: TLS_CERT_FILE and TLS_KEY_FILE (both or neither, readable, a matching
// pair) switch the server to HTTPS, TLS 1.2 at least. The certificates are made here, at test
// time, by the selfsigned library; nothing is downloaded or kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls, { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import selfsigned from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { BASE, bearer, buildTestApp, pathOf, seededDatabaseCopy, type TestApp } from '../helper.js';
import { listen, send, type Target } from './support/http-client.js';
import { exchange, head } from './support/raw-exchange.js';
import { killAll, startServer } from './support/spawn-server.js';

let dir: string;
let certFile: string;
let keyFile: string;
let otherKeyFile: string;
let cert: string;

async function makeCertificate() {
  return selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verto-mock-tls-'));
  const pems = await makeCertificate();
  const other = await makeCertificate();
  cert = pems.cert;
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  otherKeyFile = join(dir, 'other-key.pem');
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private);
  writeFileSync(otherKeyFile, other.private);
  writeFileSync(join(dir, 'garbage.pem'), 'not a certificate');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let t: TestApp | undefined;
afterEach(async () => {
  killAll();
  await t?.app.close();
  t = undefined;
});

describe('TLS settings', () => {
  const configError = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('the settings were accepted');
  };

  it('take both files or neither', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }).tls).toEqual({ certFile, keyFile });
    expect(configError({ TLS_CERT_FILE: certFile })).toContain('TLS_KEY_FILE (not set): HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither)');
    expect(configError({ TLS_KEY_FILE: keyFile })).toContain('TLS_CERT_FILE (not set): HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither)');
  });

  it('need files this process can read', () => {
    const missing = join(dir, 'nope.pem');
    expect(configError({ TLS_CERT_FILE: missing, TLS_KEY_FILE: keyFile })).toContain(`TLS_CERT_FILE="${missing}": must name a file this process can read`);
  });

  it('need a certificate and its own private key', () => {
    expect(configError({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: otherKeyFile })).toMatch(
      /TLS_KEY_FILE=".*other-key\.pem": TLS_CERT_FILE and TLS_KEY_FILE must hold a PEM certificate and its private key \(.+\)/,
    );
    expect(configError({ TLS_CERT_FILE: join(dir, 'garbage.pem'), TLS_KEY_FILE: keyFile })).toContain('must hold a PEM certificate and its private key');
  });
});

describe('HTTPS', () => {
  const secure = (port: number): Target => ({ port, https: { ca: cert } });

  it('serves the whole export flow, with https URLs in Content-Location', async () => {
    t = await buildTestApp({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    const port = await listen(t.app);
    const tokenRes = await send(secure(port), {
      method: 'POST',
      path: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=demo%40example.com&password=demo',
    });
    expect(tokenRes.status).toBe(200);
    const token = (JSON.parse(tokenRes.text) as { access_token: string }).access_token;
    const kick = await send(secure(port), { path: `${BASE}/fhir/$export?_type=Patient`, headers: { ...bearer(token), host: `127.0.0.1:${port}` } });
    expect(kick.status).toBe(202);
    const location = kick.headers['content-location'] as string;
    expect(location).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${port}/api/v1/connect/fhir/\\$export-poll-status\\?_jobId=[0-9a-f-]{36}$`));
    let poll = await send(secure(port), { path: pathOf(location), headers: bearer(token) });
    for (let i = 0; poll.status === 202 && i < 100; i++) poll = await send(secure(port), { path: pathOf(location), headers: bearer(token) });
    expect(poll.status).toBe(200);
    const manifest = JSON.parse(poll.text) as { request: string; output: { url: string; count: number }[] };
    expect(manifest.request).toBe(`https://127.0.0.1:${port}${BASE}/fhir/$export?_type=Patient`);
    const file = await send(secure(port), { path: `${BASE}${manifest.output[0]!.url}`, headers: { ...bearer(token), 'accept-encoding': 'gzip' } });
    expect(file.status).toBe(200);
    expect(file.text.trimEnd().split('\n')).toHaveLength(manifest.output[0]!.count);
  });

  it('answers a request refused before its large body is read, and reads the rest before closing', async () => {
    t = await buildTestApp({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    const port = await listen(t.app);
    const size = 3 * 1024 * 1024;
    const res = await exchange(() => tlsConnect({ host: '127.0.0.1', port, ca: cert }), [
      { head: head('GET', '/nothing-here', ['Connection: close'], 'length', size), body: size, answerAfter: 64 * 1024 },
    ]);
    expect(res.error).toBeUndefined();
    expect(res.wrote).toBe(true);
    expect(res.answers.map((a) => a.status)).toEqual([404]);
  });

  it('accepts TLS 1.2 and 1.3 and refuses 1.1, even where Node has been told to allow older versions', async () => {
    const nodeDefault = tls.DEFAULT_MIN_VERSION;
    tls.DEFAULT_MIN_VERSION = 'TLSv1';
    try {
      t = await buildTestApp({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
      const port = await listen(t.app);
      const handshake = (options: ConnectionOptions) =>
        new Promise<string>((resolve, reject) => {
          const socket = tlsConnect({ host: '127.0.0.1', port, ca: cert, ...options }, () => {
            const protocol = socket.getProtocol() ?? 'none';
            socket.end();
            resolve(protocol);
          });
          socket.on('error', reject);
        });
      expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
      expect(await handshake({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' })).toBe('TLSv1.3');
      // The client offers 1.1 only (and lowers its own security level so it may): the server says no.
      await expect(handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).rejects.toMatchObject({
        code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      });
    } finally {
      tls.DEFAULT_MIN_VERSION = nodeDefault;
    }
  });

  it('is what the server process listens with when the settings are given', async () => {
    const server = await startServer({ DATABASE_PATH: await seededDatabaseCopy(), TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    expect(server.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await send(secure(server.port), { path: '/health' });
    expect(health.status).toBe(200);
  });
});
