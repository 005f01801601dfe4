// Loaded into the server by the benchmark only (`node --import`), never by users: it reports
// the server's own event-loop delay over the IPC channel, so a stall is seen from inside the
// process rather than through a client whose own loop is busy downloading.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

// On a shared machine a late timer may mean the server was busy, or that it was not given a
// core. A 5 ms ticker measures each gap between its ticks and the CPU the process used in it:
// the loop was held by the server's own work for at most the smaller of the two. It keeps the
// longest gap with its CPU, and the largest "own work" over all gaps.
const TICK_MS = 5;
let last = performance.now();
let lastCpu = process.cpuUsage();
let worst = { gapMs: 0, cpuMs: 0 };
let busiestMs = 0;
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const gapMs = now - last;
  const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
  if (gapMs > worst.gapMs) worst = { gapMs, cpuMs };
  busiestMs = Math.max(busiestMs, Math.min(gapMs, cpuMs));
  last = now;
  lastCpu = cpu;
}, TICK_MS).unref();

const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
const round = (v) => Math.round(v * 10) / 10;

process.on('message', (message) => {
  if (message === 'reset') {
    histogram.reset();
    worst = { gapMs: 0, cpuMs: 0 };
    busiestMs = 0;
    process.send?.({ type: 'reset' });
  } else if (message === 'read') {
    process.send?.({
      type: 'loop-delay',
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      worstGapMs: round(worst.gapMs),
      worstGapCpuMs: round(worst.cpuMs),
      ownWorkMs: round(busiestMs),
    });
  }
});
// The channel must not keep a server alive that was asked to stop.
process.channel?.unref();
