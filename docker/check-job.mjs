// Part of docker/check: an export whose job must outlive the container that ran it.
//   node docker/check-job.mjs start <origin> <state.json>   token, kick-off, wait until done
//   node docker/check-job.mjs resume <origin> <state.json>  the same token and job, after a restart
// `start` saves the token, the job's poll URL and its manifest; `resume`, run against a new
// container on the same volume, requires the token to be accepted, the job to answer 200 with
// the same manifest, and its files to download with the counts the manifest states.
/* global fetch */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [command, origin, stateFile] = process.argv.slice(2);
const base = `${origin}/api/v1/connect`;

if (command === 'start') {
  const tokenResponse = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }),
  });
  assert.equal(tokenResponse.status, 200, 'token');
  const { access_token: token } = await tokenResponse.json();
  const kickOff = await fetch(`${base}/fhir/$export?_type=Patient`, { headers: { authorization: `Bearer ${token}` } });
  await kickOff.text();
  assert.equal(kickOff.status, 202, 'kick-off');
  // Saved without the origin: the next container may be reached on another port.
  const pollUrl = new URL(kickOff.headers.get('content-location'));
  const pollPath = pollUrl.pathname + pollUrl.search;
  const manifest = await poll(token, pollPath);
  writeFileSync(stateFile, JSON.stringify({ token, pollPath, manifest }));
  console.log(`job ${pollPath.split('_jobId=')[1]}: ${manifest.output.length} file(s), ${count(manifest)} resources`);
} else if (command === 'resume') {
  const { token, pollPath, manifest } = JSON.parse(readFileSync(stateFile, 'utf8'));
  const status = await fetch(`${origin}${pollPath}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await status.text();
  assert.equal(status.status, 200, `the job (or its token) did not survive the restart: ${status.status} ${body}`);
  const again = JSON.parse(body);
  assert.deepEqual(again.output, manifest.output, 'the manifest changed across the restart');
  for (const file of again.output) {
    const download = await fetch(`${base}${file.url}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(download.status, 200, file.url);
    const lines = (await download.text()).split('\n').filter(Boolean).length;
    assert.equal(lines, file.count, `${file.url}: lines against the manifest's count`);
  }
  console.log(`the job, its token and its ${count(again)} resources survived the restart`);
} else {
  console.error('usage: node docker/check-job.mjs start|resume <origin> <state.json>');
  process.exit(2);
}

async function poll(token, pollPath) {
  for (let attempt = 1; attempt <= 60; attempt++) {
    const status = await fetch(`${origin}${pollPath}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await status.text();
    if (status.status === 200) return JSON.parse(body);
    assert.equal(status.status, 202, body);
    await sleep(Number(status.headers.get('retry-after') ?? 1) * 1000);
  }
  throw new Error('the export was still running after 60 polls');
}

function count(manifest) {
  return manifest.output.reduce((sum, file) => sum + file.count, 0);
}
