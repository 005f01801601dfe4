// The app on a random loopback port, for a browser to reach (the browser cannot use inject).
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock.js';
import { buildTestApp, T0, type TestApp } from '../helper.js';

export interface ServedApp extends TestApp {
  origin: string;
}

export async function serveApp(env: Record<string, string> = {}, clock = new ManualClock(T0)): Promise<ServedApp> {
  const t = await buildTestApp(env, clock);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { ...t, origin: `http://127.0.0.1:${port}` };
}
