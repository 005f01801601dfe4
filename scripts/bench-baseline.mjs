// The concurrency benchmark's yardstick: a bare Node `http` server, in its own process, sending
// the bytes of one file from memory with the mock's headers. What a Node server can send on
// this machine, with no database, framework or authentication; the mock is read beside it.
//   node scripts/bench-baseline.mjs <file>   → prints {"port":N} on stdout, serves until SIGTERM
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]);
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, {
    'content-type': 'application/fhir+ndjson',
    'content-length': body.length,
    'cache-control': 'private, no-store',
  });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', 1024, () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
