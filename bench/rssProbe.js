// Preloaded into a measured CLI process (`node -r bench/rssProbe.js dist/cli.js …`): at exit it
// writes the process's own CPU time and peak RSS to the file named by SPA_BENCH_PROBE.
'use strict';
const t0 = process.hrtime.bigint();
process.on('exit', () => {
  const u = process.resourceUsage();
  const out = { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMB: u.maxRSS / 1024 };
  require('fs').writeFileSync(process.env.SPA_BENCH_PROBE, JSON.stringify(out));
});
