// A client team's contract test against the mock: one bulk export from token to download,
// checked line by line. It needs only Node 24 (node:test and fetch), no install, and reads
// where the mock is from the environment, so the same file runs on a laptop
// (`node --test docker/client-example/export.test.mjs`), in docker/compose.client-tests.yaml
// and in a CI job. Start it once the mock's /health answers 200.
/* global fetch */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

const origin = process.env.VERTO_ORIGIN ?? 'http://127.0.0.1:3000';
const base = origin + (process.env.VERTO_BASE_PATH ?? '/api/v1/connect');
const username = process.env.VERTO_USERNAME ?? 'demo@example.com';
const password = process.env.VERTO_PASSWORD ?? 'demo';
const MAX_POLLS = 60;

test('a bulk export: token, kick-off, poll, download every file', async () => {
  const health = await fetch(`${origin}/health`);
  assert.equal(health.status, 200, 'the mock is not ready: wait for /health first');
  const { dataset } = await health.json();

  const tokenResponse = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  assert.equal(tokenResponse.status, 200);
  const token = await tokenResponse.json();
  assert.equal(token.token_type, 'Bearer');
  const auth = { authorization: `Bearer ${token.access_token}` };

  const kickOff = await fetch(`${base}/fhir/$export`, { headers: auth });
  await kickOff.text();
  assert.equal(kickOff.status, 202);
  const pollUrl = kickOff.headers.get('content-location');
  assert.ok(pollUrl?.startsWith(`${base}/fhir/$export-poll-status?_jobId=`), `Content-Location: ${pollUrl}`);

  let manifest;
  for (let poll = 1; manifest === undefined; poll++) {
    assert.ok(poll <= MAX_POLLS, `the export was still running after ${MAX_POLLS} polls`);
    const status = await fetch(pollUrl, { headers: auth });
    const body = await status.text();
    if (status.status === 202) {
      await sleep(Number(status.headers.get('retry-after')) * 1000);
      continue;
    }
    assert.equal(status.status, 200, body);
    manifest = JSON.parse(body);
  }
  assert.equal(manifest.requiresAccessToken, true);
  assert.deepEqual(manifest.error, []);

  const resources = new Map();
  for (const file of manifest.output) {
    // The manifest's url is relative to the API base, not to the origin.
    const download = await fetch(`${base}${file.url}`, { headers: auth });
    assert.equal(download.status, 200, file.url);
    assert.match(download.headers.get('content-type'), /^application\/fhir\+ndjson/);
    const ndjson = await download.text();
    assert.ok(ndjson.endsWith('\n'), `${file.url} does not end with a newline`);
    const lines = ndjson.slice(0, -1).split('\n').map((line) => JSON.parse(line));
    assert.equal(lines.length, file.count, `${file.url}: lines against the manifest's count`);
    for (const resource of lines) {
      assert.equal(resource.resourceType, file.type, `${file.url}: a ${resource.resourceType} in a ${file.type} file`);
      const key = `${resource.resourceType}/${resource.id}`;
      assert.ok(!resources.has(key), `${key} is exported twice`);
      resources.set(key, resource);
    }
  }
  const patients = [...resources.keys()].filter((key) => key.startsWith('Patient/'));
  assert.equal(patients.length, dataset.patients, 'every patient of the data set is exported');
  for (const [key, resource] of resources) {
    for (const reference of referencesIn(resource)) {
      assert.ok(resources.has(reference), `${key} refers to ${reference}, which the export does not hold`);
    }
  }
});

/** Every `reference` value in a resource, at any depth. */
function referencesIn(value) {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'reference' && typeof v === 'string' ? [v] : referencesIn(v)));
}
