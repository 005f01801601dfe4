// The one place that reads the environment (docs/behaviour.md, "Settings").
// Every setting has the name and default the contract gives, so scripts and compose files
// can rely on them; a bad value stops the start with a message naming the variable.
import { accessSync, constants as fs, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'must be a real calendar date');

const basePath = z
  .string()
  .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'must start with / and not end with / (e.g. /api/v1/connect)');

const publicBaseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((v) => v.replace(/\/+$/, ''))
  .refine((v) => new URL(v).pathname === '/', 'must be an origin only (scheme, host, port), no path');

const readableFile = z.string().refine((path) => {
  try {
    accessSync(path, fs.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'must name a file this process can read');

/** HTTPS needs both halves, and they must belong together: checked here so a bad pair stops the start. */
function tlsPair(e: { TLS_CERT_FILE?: string; TLS_KEY_FILE?: string }, ctx: z.RefinementCtx): void {
  const { TLS_CERT_FILE: cert, TLS_KEY_FILE: key } = e;
  if (cert === undefined && key === undefined) return;
  if (cert === undefined || key === undefined) {
    const missing = cert === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither)' });
    return;
  }
  try {
    createSecureContext({ cert: readFileSync(cert), key: readFileSync(key) });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.addIssue({
      code: 'custom',
      path: ['TLS_KEY_FILE'],
      message: `TLS_CERT_FILE and TLS_KEY_FILE must hold a PEM certificate and its private key (${reason})`,
    });
  }
}

/** Settings whose values are secrets: named, never shown, in an error. */
const SECRET_SETTINGS = new Set(['ADMIN_TOKEN', 'AUTH_PASSWORD']);

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  PUBLIC_BASE_URL: publicBaseUrl.optional(),
  BASE_PATH: basePath.default('/api/v1/connect'),
  PROFILE: z.enum(['verto', 'standard']).default('verto'),
  DATABASE_PATH: z.string().min(1).default('./data/verto-mock.db'),
  DATASET_PATIENTS: integer(1, 10_000_000).default(100),
  DATASET_SEED: integer(0, 2 ** 31 - 1).default(1),
  DATASET_REFERENCE_DATE: isoDate.default('2026-01-01'),
  FILE_MAX_RESOURCES: integer(1, 1_000_000).default(250),
  AUTH: onOff.default(true),
  AUTH_USERNAME: z.string().min(1).default('demo@example.com'),
  AUTH_PASSWORD: z.string().min(1).default('demo'),
  TOKEN_TTL_SECONDS: integer(1).default(1800),
  SMART_CLIENTS: z.string().min(1).optional(),
  SMART_TOKEN_TTL_SECONDS: integer(1).default(300),
  JOB_MIN_DURATION_MS: integer(0).default(1000),
  JOB_CONCURRENCY: integer(1, 64).default(2),
  JOB_BACKLOG: integer(0).default(100),
  JOB_TTL_SECONDS: integer(1).default(3600),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SCENARIO_SLOW_DURATION_MS: integer(0).default(10_000),
  SCENARIO_DOWNLOAD_BYTES_PER_SECOND: integer(10).default(65_536),
  SCENARIO_STALL_MS: integer(0).default(30_000),
  POLL_RATE_LIMIT: onOff.default(false),
  JOURNAL_MAX_ENTRIES: integer(0, 1_000_000).default(10_000),
  CORS_ORIGINS: z.string().min(1).default('*'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TLS_CERT_FILE: readableFile.optional(),
  TLS_KEY_FILE: readableFile.optional(),
}).superRefine(tlsPair);

export interface Config {
  host: string;
  port: number;
  publicBaseUrl: string | undefined;
  basePath: string;
  /** `verto`: Verto's documented surface; `standard`: the Bulk Data IG's (docs/behaviour.md, "Standard profile"). */
  profile: 'verto' | 'standard';
  databasePath: string;
  dataset: DatasetParams;
  fileMaxResources: number;
  auth: { enabled: boolean; username: string; password: string; tokenTtlSeconds: number };
  smart: {
    /** JSON file registering the SMART Backend Services clients and their keys; unset = none. */
    clientsFile: string | undefined;
    /** Lifetime of a client_credentials token (SMART recommends at most 300 s). */
    tokenTtlSeconds: number;
  };
  jobs: { minDurationMs: number; concurrency: number; backlog: number; ttlSeconds: number };
  /** Secret for /_mock/; undefined = open on a loopback HOST, closed otherwise. */
  adminToken: string | undefined;
  scenarios: {
    /** How long a job of the `slow` scenario takes. */
    slowDurationMs: number;
    /** The rate of a `download-slow` download, in bytes a second. */
    downloadBytesPerSecond: number;
    /** How long a `download-stall` download stays silent before the server closes it. */
    stallMs: number;
    /** Answer 429 to every poll sooner than the last Retry-After (as `poll-too-fast` does per job). */
    pollRateLimit: boolean;
  };
  /** How many requests the journal keeps (the oldest dropped first); 0 = no journal. */
  journalMaxEntries: number;
  corsOrigins: string[] | '*';
  logLevel: string;
  /** HTTPS when set: PEM files read at start; the server then accepts TLS 1.2 and later only. */
  tls: { certFile: string; keyFile: string } | undefined;
}

export interface DatasetParams {
  patients: number;
  seed: number;
  referenceDate: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the settings from an environment (process.env in server.ts, a literal in tests). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (FOO= in a compose file) means "use the default", as most tools read it.
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .map((k) => [k, env[k]])
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const value = env[name];
      if (value === undefined || value === '') return `  ${i.path.join('.')} (not set): ${i.message}`;
      // A secret is never printed, not even a wrong one: it may be the right one mistyped.
      const shown = SECRET_SETTINGS.has(name) ? `<hidden, ${value.length} characters>` : JSON.stringify(value);
      return `  ${i.path.join('.')}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    basePath: e.BASE_PATH,
    profile: e.PROFILE,
    databasePath: e.DATABASE_PATH,
    dataset: { patients: e.DATASET_PATIENTS, seed: e.DATASET_SEED, referenceDate: e.DATASET_REFERENCE_DATE },
    fileMaxResources: e.FILE_MAX_RESOURCES,
    auth: {
      enabled: e.AUTH,
      username: e.AUTH_USERNAME,
      password: e.AUTH_PASSWORD,
      tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    },
    smart: { clientsFile: e.SMART_CLIENTS, tokenTtlSeconds: e.SMART_TOKEN_TTL_SECONDS },
    jobs: {
      minDurationMs: e.JOB_MIN_DURATION_MS,
      concurrency: e.JOB_CONCURRENCY,
      backlog: e.JOB_BACKLOG,
      ttlSeconds: e.JOB_TTL_SECONDS,
    },
    adminToken: e.ADMIN_TOKEN,
    scenarios: {
      slowDurationMs: e.SCENARIO_SLOW_DURATION_MS,
      downloadBytesPerSecond: e.SCENARIO_DOWNLOAD_BYTES_PER_SECOND,
      stallMs: e.SCENARIO_STALL_MS,
      pollRateLimit: e.POLL_RATE_LIMIT,
    },
    journalMaxEntries: e.JOURNAL_MAX_ENTRIES,
    corsOrigins: e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: e.LOG_LEVEL,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
  };
}
