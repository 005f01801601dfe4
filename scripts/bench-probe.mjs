// Loaded into the server by the benchmark only (`node --import`), never by users: it reports
// the server's own event-loop delay over the IPC channel, so a stall is seen from inside the
// process rather than through a client whose own loop is busy downloading.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;

process.on('message', (message) => {
  if (message === 'reset') {
    histogram.reset();
    process.send?.({ type: 'reset' });
  } else if (message === 'read') {
    process.send?.({ type: 'loop-delay', maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)) });
  }
});
// The channel must not keep a server alive that was asked to stop.
process.channel?.unref();
