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

  it('refuses a page whose own name resolves to loopback (DNS rebinding), unless ADMIN_TOKEN is set', async () => {
    t = await buildTestApp();
    const rebound = { host: 'rebind.evil:3000', origin: 'http://rebind.evil:3000', 'sec-fetch-site': 'same-origin' };
    const reset = await t.app.inject({ method: 'POST', url: '/_mock/reset', headers: rebound });
    expect(reset.statusCode).toBe(403);
    expect(diagnostics(reset.body).diagnostics).toContain('addressed to loopback');
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) {
      expect((await t.app.inject({ method: 'GET', url: '/_mock/scenarios', headers: { host } })).statusCode, host).toBe(200);
    }
    await t.app.close();
    // With a secret, the name does not matter: the secret is what a page cannot have.
    t = await buildTestApp({ ADMIN_TOKEN: 'a-secret-of-sixteen-chars' });
    const withToken = await t.app.inject({
      method: 'GET',
      url: '/_mock/scenarios',
      headers: { host: 'mock.internal:3000', authorization: 'Bearer a-secret-of-sixteen-chars' },
    });
    expect(withToken.statusCode).toBe(200);
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
