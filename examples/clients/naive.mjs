// A deliberately naive bulk export client, to show what the grader catches (docs/grading.md):
// it polls at a fixed pace whatever Retry-After says (and gives up on a job after thirty seconds
// without cancelling it), resolves each file's url against the origin with new URL(url, base)
// (wrong for Verto, whose urls are relative to the API base), sends its token wherever a
// download goes, never checks a file's count, never retries anything, and exits 0 whatever
// happened. Do not copy it.
// Plain Node 20+ (fetch), no dependencies; reads the same variables as well-behaved.mjs.
/* global fetch */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const env = process.env;
const origin = env.VERTO_ORIGIN ?? 'http://127.0.0.1:3000';
const base = origin + (env.VERTO_BASE_PATH ?? '/api/v1/connect');
const fhirBase = env.FHIR_BASE_URL ?? `${base}/fhir`;
const types = env.VERTO_TYPES ?? '';
const outputDir = env.VERTO_OUTPUT_DIR ?? 'export-output';
const log = (message) => process.stderr.write(`naive: ${message}\n`);

async function main() {
  const tokenResponse = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: env.VERTO_USERNAME ?? 'demo@example.com', password: env.VERTO_PASSWORD ?? 'demo' }),
  });
  const auth = { authorization: `Bearer ${(await tokenResponse.json()).access_token}` };

  const kickOff = await fetch(`${fhirBase}/$export${types === '' ? '' : `?_type=${types}`}`, {
    headers: { ...auth, accept: 'application/fhir+json', prefer: 'respond-async' },
  });
  await kickOff.text();
  if (kickOff.status !== 202) return log(`kick-off answered ${kickOff.status}`);
  const pollUrl = kickOff.headers.get('content-location');

  let manifest;
  // Polls for thirty seconds at most, then leaves the job running (it never cancels).
  for (let i = 0; i < 60 && manifest === undefined; i++) {
    const res = await fetch(pollUrl, { headers: auth });
    const body = await res.text();
    if (res.status === 200) manifest = JSON.parse(body);
    else if (res.status === 202) await sleep(500); // whatever Retry-After says
    else return log(`poll answered ${res.status}`);
  }
  if (manifest === undefined) return log('the export never finished');

  mkdirSync(outputDir, { recursive: true });
  for (const file of [...manifest.output, ...manifest.error]) {
    const res = await fetch(new URL(file.url, base), { headers: auth });
    const body = await res.text();
    if (res.status !== 200) {
      log(`${file.url} answered ${res.status}`);
      continue;
    }
    if (manifest.output.includes(file)) writeFileSync(join(outputDir, `${file.type}.ndjson`), body, { flag: 'a' });
  }
}

try {
  await main();
} catch (err) {
  log(`failed: ${err.message}`);
}
process.exitCode = 0;
