// The concurrency benchmark's yardstick: a bare Node `http` server, in its own process, sending
// the bytes of one file from memory with the mock's headers, or the same bytes gzipped once at
// start (level 1, as the mock compresses) to a client that asks for gzip. What a Node server can
// send on this machine, with no database, framework, authentication or compression work; the
// mock is read beside it.
//   node scripts/bench-baseline.mjs <file>   → prints {"port":N} on stdout, serves until SIGTERM
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

const body = readFileSync(process.argv[2]);
const gzipped = gzipSync(body, { level: 1 });
const server = createServer((req, res) => {
  req.resume();
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const sent = gzip ? gzipped : body;
  res.writeHead(200, {
    'content-type': 'application/fhir+ndjson',
    'content-length': sent.length,
    'cache-control': 'private, no-store',
    ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
  });
  res.end(sent);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', 1024, () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
