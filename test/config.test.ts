import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('gives the contract defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      publicBaseUrl: undefined,
      basePath: '/api/v1/connect',
      databasePath: './data/verto-mock.db',
      dataset: { patients: 100, seed: 1, referenceDate: '2026-01-01' },
      fileMaxResources: 250,
      auth: { enabled: true, username: 'demo@example.com', password: 'demo', tokenTtlSeconds: 1800 },
      jobs: { minDurationMs: 1000, concurrency: 2, backlog: 100, ttlSeconds: 3600 },
      corsOrigins: '*',
      logLevel: 'info',
      scenarios: { pollRateLimit: false, slowDurationMs: 10_000, downloadBytesPerSecond: 65_536, stallMs: 30_000 },
    });
  });

  it('reads every setting by its contract name', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      PUBLIC_BASE_URL: 'https://mock.example.com/',
      BASE_PATH: '/fhir-facade',
      DATABASE_PATH: '/tmp/x.db',
      DATASET_PATIENTS: '5',
      DATASET_SEED: '42',
      DATASET_REFERENCE_DATE: '2025-06-30',
      FILE_MAX_RESOURCES: '10',
      AUTH: 'off',
      AUTH_USERNAME: 'u',
      AUTH_PASSWORD: 'p',
      TOKEN_TTL_SECONDS: '60',
      JOB_MIN_DURATION_MS: '0',
      JOB_CONCURRENCY: '4',
      JOB_BACKLOG: '7',
      JOB_TTL_SECONDS: '120',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      publicBaseUrl: 'https://mock.example.com',
      basePath: '/fhir-facade',
      databasePath: '/tmp/x.db',
      dataset: { patients: 5, seed: 42, referenceDate: '2025-06-30' },
      fileMaxResources: 10,
      auth: { enabled: false, username: 'u', password: 'p', tokenTtlSeconds: 60 },
      jobs: { minDurationMs: 0, concurrency: 4, backlog: 7, ttlSeconds: 120 },
      corsOrigins: ['https://a.example', 'https://b.example'],
      logLevel: 'warn',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', AUTH: '' })).toMatchObject({ port: 3000, auth: { enabled: true } });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['FILE_MAX_RESOURCES', '0'],
    ['AUTH', 'yes'],
    ['DATASET_REFERENCE_DATE', '2026-13-01'],
    ['DATASET_REFERENCE_DATE', '01/01/2026'],
    ['BASE_PATH', 'api/v1'],
    ['BASE_PATH', '/api/'],
    ['PUBLIC_BASE_URL', 'ftp://x'],
    ['PUBLIC_BASE_URL', 'https://x.example/some/path'],
    ['LOG_LEVEL', 'loud'],
    ['JOB_CONCURRENCY', '0'],
  ])('rejects %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=${JSON.stringify(value).replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('names a bad secret without showing it', () => {
    const secret = 'my-admin-secret';
    expect(() => loadConfig({ ADMIN_TOKEN: secret })).toThrow('ADMIN_TOKEN=<hidden, 15 characters>: must be at least 16 characters');
    expect(() => loadConfig({ ADMIN_TOKEN: secret })).not.toThrow(secret);
  });

  it('lists every bad setting at once', () => {
    try {
      loadConfig({ PORT: 'x', AUTH: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('PORT="x"');
      expect((err as Error).message).toContain('AUTH="maybe"');
    }
  });
});
