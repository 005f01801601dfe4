// The concurrency benchmark's load generator, run in its own process so its work does not
// share a loop with the benchmark or the server: autocannon with N keep-alive connections, each
// downloading the same URL back to back for a fixed time. Prints one JSON line on stdout:
// downloads completed, bytes, latency percentiles, downloads over 10 s, errors.
//   node scripts/bench-load.mjs '{"url":"...","connections":100,"seconds":12,"headers":{...}}'
import autocannon from 'autocannon';

const SLOW_MS = 10_000;
const { url, connections, seconds, headers } = JSON.parse(process.argv[2] ?? '{}');
if (typeof url !== 'string' || !(connections >= 1) || !(seconds >= 1)) {
  process.stderr.write('usage: bench-load.mjs \'{"url":"http://127.0.0.1:PORT/...","connections":N,"seconds":S,"headers":{}}\'\n');
  process.exit(2);
}

let over10s = 0;
let slowest = 0;
const instance = autocannon({
  url,
  connections,
  duration: seconds,
  headers: headers ?? {},
  // Far beyond the 10 s a typical client allows, so a slow download is measured, not cut.
  timeout: 60,
});
instance.on('response', (_client, _status, _bytes, responseTime) => {
  if (responseTime > SLOW_MS) over10s++;
  if (responseTime > slowest) slowest = responseTime;
});
autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
const result = await instance;
process.stdout.write(
  `${JSON.stringify({
    connections,
    seconds: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytes: result.throughput.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: Math.max(result.latency.max, slowest),
    over10s,
  })}\n`,
);
