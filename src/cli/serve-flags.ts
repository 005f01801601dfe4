// The flags of `verto-fhir-mock serve`: the common settings, each standing for its environment
// variable (docs/behaviour.md, "Settings"). A flag wins over the variable; every setting without
// a flag is read from the environment as `npm start` reads it.
import { Option } from 'commander';
import { ConfigError, loadConfig } from '../config.js';

export const SERVE_FLAGS = [
  { flag: '--host <host>', setting: 'HOST', help: 'address to listen on' },
  { flag: '--port <port>', setting: 'PORT', help: 'port to listen on (0: a free one)' },
  { flag: '--profile <profile>', setting: 'PROFILE', help: "API surface: 'verto' or 'standard'" },
  { flag: '--base-path <path>', setting: 'BASE_PATH', help: 'path of the FHIR API' },
  { flag: '--public-base-url <url>', setting: 'PUBLIC_BASE_URL', help: 'origin in the URLs the server returns, behind a proxy' },
  { flag: '--db <path>', setting: 'DATABASE_PATH', help: 'database file (created and seeded when missing; :memory: keeps it in memory)' },
  { flag: '--patients <n>', setting: 'DATASET_PATIENTS', help: 'patients of a new data set' },
  { flag: '--seed <n>', setting: 'DATASET_SEED', help: 'generator seed of a new data set' },
  { flag: '--reference-date <YYYY-MM-DD>', setting: 'DATASET_REFERENCE_DATE', help: "the new data set's today" },
  { flag: '--auth <on|off>', setting: 'AUTH', help: 'require a bearer token' },
  { flag: '--tls-cert <file>', setting: 'TLS_CERT_FILE', help: 'PEM certificate: serve HTTPS (with --tls-key)' },
  { flag: '--tls-key <file>', setting: 'TLS_KEY_FILE', help: 'PEM private key of --tls-cert' },
  { flag: '--log-level <level>', setting: 'LOG_LEVEL', help: 'fatal, error, warn, info, debug, trace or silent' },
] as const;

/** The flags as commander options; `--help` shows each one's variable. */
export function serveOptions(): Option[] {
  return SERVE_FLAGS.map(({ flag, setting, help }) => new Option(flag, help).env(setting));
}

/** The long flag of an option (`--base-path`) as commander names its value (`basePath`). */
const attributeOf = (flag: string) => new Option(flag).attributeName();

/**
 * The environment the server starts with: `env` with each flag given on the command line in
 * place of its variable. The settings are checked here, so that a bad flag is named as a flag.
 */
export function serveEnvironment(
  env: Record<string, string | undefined>,
  values: Record<string, unknown>,
  fromCommandLine: (attribute: string) => boolean,
): Record<string, string | undefined> {
  const result = { ...env };
  const flagOf = new Map<string, string>();
  for (const { flag, setting } of SERVE_FLAGS) {
    const attribute = attributeOf(flag);
    if (!fromCommandLine(attribute)) continue;
    result[setting] = String(values[attribute]);
    flagOf.set(setting, flag.split(' ')[0]!);
  }
  try {
    loadConfig(result);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(
      err.message.replace(/^( {2})([A-Z_]+)(=)/gm, (line, indent: string, name: string, eq: string) => {
        const flag = flagOf.get(name);
        return flag === undefined ? line : `${indent}${flag}${eq}`;
      }),
    );
  }
  return result;
}
