// A team's plain ES module using the installed package (test/package/pack-install.test.ts copies it
// into an empty project): a mock, one export from token to download, its journal and report,
// printed as one JSON line.
/* global fetch */
import { setTimeout as sleep } from 'node:timers/promises';
import { startMock } from 'verto-fhir-mock';

const mock = await startMock({ patients: 3, seed: 2, settings: { JOB_MIN_DURATION_MS: '0' } });
try {
  const token = await (
    await fetch(mock.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', ...mock.credentials }),
    })
  ).json();
  const auth = { authorization: `Bearer ${token.access_token}` };
  const kickOff = await fetch(`${mock.baseUrl}/fhir/$export`, { headers: auth });
  await kickOff.text();
  const pollUrl = kickOff.headers.get('content-location');
  const jobId = new URL(pollUrl).searchParams.get('_jobId');
  let manifest;
  for (let poll = 0; manifest === undefined; poll++) {
    if (poll === 500) throw new Error('the export was still running after 500 polls');
    const status = await fetch(pollUrl, { headers: auth });
    if (status.status === 202) {
      await status.text();
      await sleep(5);
    } else manifest = await status.json();
  }
  let patients = 0;
  for (const file of manifest.output) {
    const ndjson = await (await fetch(`${mock.baseUrl}${file.url}`, { headers: auth })).text();
    if (file.type === 'Patient') patients += ndjson.trimEnd().split('\n').length;
  }
  const requests = await mock.requests({ jobId });
  const report = await mock.report(jobId);
  console.log(
    JSON.stringify({
      origin: mock.origin,
      kickOff: kickOff.status,
      patients,
      files: manifest.output.length,
      downloads: requests.filter((r) => r.fileId !== null && r.status === 200).length,
      firstRequest: `${requests[0].method} ${requests[0].status}`,
      summary: report.summary,
    }),
  );
} finally {
  await mock.close();
}
