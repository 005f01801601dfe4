// Boots the server: reads the settings, listens, and shuts down gracefully. Nothing else.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { listenOptions } from './http/server-options.js';

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const app = buildApp(config);
let closing = false;

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  closing = true;
  if (err) app.log.error({ err }, 'server closing after an error');
  else app.log.info({ signal }, 'server closing');
  await app.close();
});

try {
  await app.listen(listenOptions(config));
} catch (err) {
  if (err instanceof ConfigError) app.log.fatal(err.message);
  else app.log.fatal({ err }, 'server could not start');
  await app.close().catch(() => undefined);
  process.exit(1);
}

// A first start that cannot create its database (the store logs why) has nothing to serve:
// exit 1 rather than answer 503 for ever, so a supervisor or a CI job sees the failure.
app.store.whenReady.catch(async () => {
  if (closing) return;
  await app.close().catch(() => undefined);
  process.exit(1);
});
