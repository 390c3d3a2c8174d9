// Preloaded into a measured CLI process (`node -r bench/rssProbe.js dist/cli.js …`): at exit it
// writes the process's own CPU time and peak RSS to the file named by SPA_BENCH_PROBE.
'use strict';
const t0 = process.hrtime.bigint();
// Peak RSS comes from /proc/self/status (VmHWM, this process image's own high-water mark):
// getrusage's maxRSS survives execve on Linux, so a child of a large parent (the bench itself)
// would report the parent's size at fork time instead of its own.
function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}
process.on('exit', () => {
  const u = process.resourceUsage();
  const out = { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMB: peakRssKb() / 1024 };
  require('fs').writeFileSync(process.env.SPA_BENCH_PROBE, JSON.stringify(out));
});
