// A page on any site can make a browser POST to a mock on loopback (a simple request needs no
// preflight; CORS only hides the answer). The admin API must not act on such requests.
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, bearer, buildTestApp, getToken, type TestApp } from '../helper.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

const diagnostics = (body: string) => (JSON.parse(body) as { issue: { code: string; diagnostics: string }[] }).issue[0]!;

describe('the admin API and other origins', () => {
  it('refuses a reset and an arming sent from another origin, and changes nothing', async () => {
    t = await buildTestApp();
    const { app } = t;
    const token = await getToken(app);
    const kickOff = await app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient`, headers: bearer(token) });
    const pollUrl = new URL(kickOff.headers['content-location'] as string).pathname;

    const evil = { origin: 'https://evil.example', host: '127.0.0.1:3000' };
    const reset = await app.inject({ method: 'POST', url: '/_mock/reset', headers: evil });
    expect(reset.statusCode).toBe(403);
    expect(diagnostics(reset.body)).toMatchObject({ code: 'forbidden' });
    expect(diagnostics(reset.body).diagnostics).toContain('Origin: https://evil.example');
    const arm = await app.inject({
      method: 'POST',
      url: '/_mock/scenarios',
      headers: { ...evil, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'scenario=kickoff-error',
    });
    expect(arm.statusCode).toBe(403);
    const fetchMetadata = await app.inject({ method: 'POST', url: '/_mock/reset', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMetadata.statusCode).toBe(403);
    expect(diagnostics(fetchMetadata.body).diagnostics).toContain('Sec-Fetch-Site: cross-site');
    // A page of another port on the same host is another origin too (the browser says same-site).
    const sameSite = await app.inject({ method: 'DELETE', url: '/_mock/scenarios', headers: { 'sec-fetch-site': 'same-site' } });
    expect(sameSite.statusCode).toBe(403);

    // Nothing happened: the job is still there, nothing is armed, a kick-off works.
    expect((await app.inject({ method: 'GET', url: pollUrl, headers: bearer(token) })).statusCode).not.toBe(404);
    expect((await app.inject({ method: 'GET', url: '/_mock/scenarios' })).json()).toMatchObject({ armed: [] });
    expect((await app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient`, headers: bearer(token) })).statusCode).toBe(202);
  });

  it('answers curl, scripts and its own pages', async () => {
    t = await buildTestApp({ PUBLIC_BASE_URL: 'https://mock.example:8443' });
    const { app } = t;
    const own = [
      {},
      { 'sec-fetch-site': 'none' },
      { 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' },
      { origin: 'https://mock.example:8443' },
    ];
    for (const headers of own) {
      const res = await app.inject({ method: 'POST', url: '/_mock/scenarios', headers, payload: { scenario: 'slow', count: 1 } });
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
    }
    expect((await app.inject({ method: 'POST', url: '/_mock/reset', headers: { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' } })).statusCode).toBe(200);
  });
});
