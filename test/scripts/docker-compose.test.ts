// The compose files and the docker commands in docs/docker.md against the Dockerfile and the server's
// settings. docker/check runs them all on a real engine in CI; these read them, so that a
// setting the server does not know or a value it refuses is caught in any test run.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The Dockerfile's instructions, continuation lines joined, comments left out. */
const instructions = read('Dockerfile')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => /^[A-Z]+ /.test(line))
  .map((line) => ({ keyword: line.slice(0, line.indexOf(' ')), args: line.slice(line.indexOf(' ') + 1).trim() }));
const args = Object.fromEntries(
  instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=') as [string, string]),
);
/** The final stage: every instruction after the last FROM. */
const finalStage = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM') + 1);
const of = (keyword: string) => finalStage.filter((i) => i.keyword === keyword).map((i) => i.args);
const imageEnv: Record<string, string> = Object.fromEntries(
  of('ENV').flatMap((line) => [...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])),
);
const volumes = of('VOLUME');
const exposed = of('EXPOSE');
/** The first stage's base image, its ARGs substituted. */
const baseImage = (instructions.find((i) => i.keyword === 'FROM')?.args.split(' ')[0] ?? '').replace(
  /\$\{(\w+)\}/g,
  (_, name: string) => args[name] ?? '',
);

interface Service {
  build?: { context: string };
  image?: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: { test: string[]; start_period: string };
  depends_on?: Record<string, { condition: string }>;
  working_dir?: string;
  command?: string[];
}
const compose = (file: string) => parse(read(file)) as { services: Record<string, Service>; volumes?: object };

/** A service's environment as the container gets it when nothing overrides `${NAME:-default}`. */
const containerEnv = (service: Service): Record<string, string> => ({
  ...imageEnv,
  ...Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
  ),
});

/** The setting names the server reads (src/config.ts). */
const SETTINGS = new Set([...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z_]+): /gm)].map((m) => m[1]));

const healthcheck = ['CMD', ...(JSON.parse(/CMD (\[.*\])$/.exec(of('HEALTHCHECK')[0] ?? '')?.[1] ?? '[]') as string[])];

describe('docker/compose.yaml', () => {
  const service = compose('docker/compose.yaml').services['verto-mock'] as Service;

  it('builds the Dockerfile at the project root', () => {
    expect(existsSync(join(root, 'docker', service.build?.context ?? '', 'Dockerfile'))).toBe(true);
  });

  it('sets only real settings, to values the server accepts', () => {
    const env = containerEnv(service);
    expect(Object.keys(service.environment ?? {}).filter((k) => !SETTINGS.has(k))).toEqual([]);
    const config = loadConfig(env);
    expect(config.dataset).toEqual({ patients: 100, seed: 1, referenceDate: '2026-01-01' });
    expect(config.auth).toMatchObject({ enabled: true, username: 'demo@example.com', password: 'demo' });
    expect(config.adminToken).toBe('local-admin-token');
  });

  it("publishes the image's port on loopback and keeps the database in a named volume", () => {
    expect(service.ports).toEqual([`127.0.0.1:\${VERTO_PORT:-3000}:${exposed[0]}`]);
    expect(service.volumes).toEqual([`verto-data:${volumes[0]}`]);
    expect(posix.dirname(imageEnv.DATABASE_PATH ?? '')).toBe(volumes[0]);
    expect(Object.keys(compose('docker/compose.yaml').volumes ?? {})).toEqual(['verto-data']);
  });

  it("checks health with the image's own command", () => {
    expect(service.healthcheck?.test).toEqual(healthcheck);
  });
});

describe('docker/compose.client-tests.yaml', () => {
  const { services } = compose('docker/compose.client-tests.yaml');
  const mock = services['verto-mock'] as Service;
  const client = services['client-tests'] as Service;

  it('runs the mock on a fixed small data set, with no published port', () => {
    const config = loadConfig(containerEnv(mock));
    expect(config.dataset).toEqual({ patients: 50, seed: 42, referenceDate: '2026-01-01' });
    expect(mock.ports).toBeUndefined();
    expect(mock.healthcheck?.test).toEqual(healthcheck);
  });

  it('starts the client tests only once the mock is healthy, pointed at it', () => {
    const config = loadConfig(containerEnv(mock));
    expect(client.depends_on).toEqual({ 'verto-mock': { condition: 'service_healthy' } });
    expect(client.environment).toEqual({
      VERTO_ORIGIN: `http://verto-mock:${exposed[0]}`,
      VERTO_BASE_PATH: config.basePath,
      VERTO_USERNAME: config.auth.username,
      VERTO_PASSWORD: config.auth.password,
    });
  });

  it('mounts the example client and runs its test file on the same Node image', () => {
    const [source, target] = (client.volumes?.[0] ?? '').split(':');
    expect(target).toBe(client.working_dir);
    expect(client.command).toEqual(['node', '--test', 'export.test.mjs']);
    expect(existsSync(join(root, 'docker', source ?? '', 'export.test.mjs'))).toBe(true);
    expect(client.image).toBe(baseImage);
  });
});

describe("the docker commands in docs/docker.md", () => {
  const doc = read('docs/docker.md');
  const lines = [...doc.matchAll(/```(?:sh|yaml)\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n'));

  it('name compose files and services that exist', () => {
    const composeLines = lines.filter((l) => l.includes('docker compose'));
    expect(composeLines.length).toBe(5);
    for (const line of composeLines) {
      const file = /-f (\S+)/.exec(line)?.[1] ?? '';
      expect(existsSync(join(root, file)), line).toBe(true);
      const service = /--exit-code-from (\S+)/.exec(line)?.[1];
      if (service) expect(Object.keys(compose(file).services)).toContain(service);
    }
  });

  it('build and run one image tag, on the exposed port and the volume', () => {
    const tag = /docker build -t (\S+) \./.exec(doc)?.[1];
    expect(tag).toBe('verto-fhir-mock');
    // The README's one-line mention builds the same tag.
    expect(/docker build -t (\S+) \./.exec(read('README.md'))?.[1]).toBe(tag);
    const runs = lines.filter((l) => l.startsWith('docker run '));
    expect(runs.length).toBe(2);
    for (const run of runs) {
      expect(run.split(' ')).toContain(tag);
      expect(run).toContain(`-p 3000:${exposed[0]}`);
    }
    expect(runs[0]).toContain(`-v verto-data:${volumes[0]} `);
  });

  it('show the image check exactly as .ci/run runs it', () => {
    const checks = lines.filter((l) => l.startsWith('bash docker/check')).map((l) => l.replace(/\s+#.*$/, ''));
    expect(checks).toEqual(['bash docker/check']);
    expect(read('.ci/run')).toContain(checks[0]);
  });
});
