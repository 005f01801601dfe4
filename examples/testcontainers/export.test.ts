// A client team's test against the mock's Docker image with Testcontainers: the container is
// started for this file, ready once /health answers 200, and removed after. The test runs one
// bulk export as a client would and reads the mock's request journal and its report on how the
// client behaved. docs/docker.md, "Use in CI", shows how to run it; CI runs it in docker/check.
import { setTimeout as sleep } from 'node:timers/promises';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const IMAGE = process.env.VERTO_IMAGE ?? 'verto-fhir-mock:local';
const ADMIN_TOKEN = 'testcontainers-admin-token';
const BASE_PATH = '/api/v1/connect';

let container: StartedTestContainer;
let origin: string;

beforeAll(async () => {
  let image = new GenericContainer(IMAGE)
    .withEnvironment({ DATASET_PATIENTS: '25', DATASET_SEED: '42', ADMIN_TOKEN, JOB_MIN_DURATION_MS: '200' })
    .withExposedPorts(3000)
    // 200 once the first start has seeded its database (503 before).
    .withWaitStrategy(Wait.forHttp('/health', 3000).forStatusCode(200))
    .withStartupTimeout(60_000);
  // An engine without the default bridge network names another one here.
  if (process.env.VERTO_DOCKER_NETWORK) image = image.withNetworkMode(process.env.VERTO_DOCKER_NETWORK);
  container = await image.start();
  origin = `http://${container.getHost()}:${container.getMappedPort(3000)}`;
}, 90_000);

afterAll(async () => {
  await container?.stop();
});

/** The admin API (`/_mock/`), which a container opens only to ADMIN_TOKEN. */
async function admin<T>(path: string): Promise<T> {
  const res = await fetch(`${origin}/_mock${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('the mock in a container', () => {
  it('serves a bulk export from token to download, seen in its journal and report', async () => {
    const token = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }),
    });
    expect(token.status).toBe(200);
    const auth = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };

    const kickOff = await fetch(`${origin}${BASE_PATH}/fhir/$export`, { headers: auth });
    await kickOff.text();
    expect(kickOff.status).toBe(202);
    const pollUrl = kickOff.headers.get('content-location')!;
    const jobId = new URL(pollUrl).searchParams.get('_jobId')!;

    let manifest: { output: { type: string; url: string; count: number }[] } | undefined;
    for (let poll = 1; manifest === undefined; poll++) {
      expect(poll, 'polls before the export completed').toBeLessThanOrEqual(60);
      const status = await fetch(pollUrl, { headers: auth });
      if (status.status === 202) {
        await status.text();
        await sleep(Number(status.headers.get('retry-after') ?? '1') * 1000);
      } else {
        expect(status.status).toBe(200);
        manifest = (await status.json()) as typeof manifest;
      }
    }
    let patients = 0;
    for (const file of manifest!.output) {
      const download = await fetch(`${origin}${BASE_PATH}${file.url}`, { headers: auth });
      expect(download.status).toBe(200);
      const lines = (await download.text()).trimEnd().split('\n');
      expect(lines).toHaveLength(file.count);
      if (file.type === 'Patient') patients += lines.length;
    }
    expect(patients).toBe(25);

    const { requests } = await admin<{ requests: { method: string; path: string; status: number; fileId: string | null }[] }>(
      `/requests?jobId=${jobId}`,
    );
    expect(requests[0]).toMatchObject({ method: 'GET', path: `${BASE_PATH}/fhir/$export`, status: 202 });
    expect(requests.filter((r) => r.fileId !== null && r.status === 200)).toHaveLength(manifest!.output.length);
    const report = await admin<{ jobId: string; summary: { pass: number; fail: number } }>(`/exports/${jobId}/report`);
    expect(report.jobId).toBe(jobId);
    expect(report.summary.fail).toBe(0);
  });
});
