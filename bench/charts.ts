/**
 * Time to draw each chart type through the ChartRenderer port (Vega-Lite → Vega SVG → resvg PNG in
 * the worker thread), as a card waits for it. Baseline from the same run: the first chart of a
 * process (worker start and library loading), which every later chart is spared.
 * Target (DESIGN 9.7 / issue 19): a warm chart in at most 150 ms. When dist/ is built (`npm run
 * build`, or any `npm start`), the first chart is measured again with the worker bundled as dist/
 * runs it (vega and vega-lite in one file).
 *   npx tsx bench/charts.ts [--runs N]
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { VegaChartRenderer } from '../src/adapters/charts';
import type { ChartSpec } from '../src/core/charts/types';
import { rolloutSample, smallTrendSample, trendSample } from '../test/support/chart-samples';

const TARGET_MS = 150;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;

const CHARTS: [string, () => ChartSpec][] = [
  ['metric trend, 30 versions, band', () => trendSample(30)],
  ['metric trend, 5 versions, band', () => trendSample(5)],
  ['metric trend, 2 versions', () => smallTrendSample()],
  ['rollout, 3 steps', () => rolloutSample()],
];

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Wall time as a card waits, and CPU time of the process (the worker's work; what a loaded machine does not inflate). */
async function timed(renderer: VegaChartRenderer, chart: ChartSpec): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const png = await renderer.render(chart);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, bytes: png.byteLength };
}

async function main(): Promise<void> {
  const cold = new VegaChartRenderer({ timeoutMs: 60_000 });
  const first = await timed(cold, trendSample(5));
  await cold.close();
  console.log(`first chart of a process (worker start + vega, vega-lite, resvg loaded): ${first.ms.toFixed(0)} ms, CPU ${first.cpuMs.toFixed(0)} ms  [baseline]`);
  const bundle = join(__dirname, '..', 'dist', 'src', 'adapters', 'charts', 'render-worker.mjs');
  if (existsSync(bundle)) {
    for (const [label, workerFile] of [['sources', undefined], ['dist bundle', bundle], ['sources', undefined], ['dist bundle', bundle]] as const) {
      const r = new VegaChartRenderer({ timeoutMs: 60_000, ...(workerFile ? { workerFile } : {}) });
      const m = await timed(r, trendSample(5));
      await r.close();
      console.log(`first chart, worker from ${label.padEnd(11)}: ${m.ms.toFixed(0).padStart(4)} ms (${(m.ms / first.ms).toFixed(2)}×), CPU ${m.cpuMs.toFixed(0).padStart(4)} ms (${(m.cpuMs / first.cpuMs).toFixed(2)}×)`);
    }
  } else console.log('(dist/ not built: the bundled worker is not measured)');
  const renderer = new VegaChartRenderer({ timeoutMs: 60_000 });
  await timed(renderer, trendSample(5));
  console.log(`\n${'chart'.padEnd(36)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'CPU'.padStart(8)} ${'PNG'.padStart(8)}  vs target  vs first chart`);
  let worst = 0;
  for (const [name, make] of CHARTS) {
    const chart = make();
    const samples: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) ({ ms: samples[i], cpuMs: cpu[i], bytes } = await timed(renderer, chart));
    const median = quantile(samples, 0.5);
    worst = Math.max(worst, median);
    const cells = [`${median.toFixed(0)} ms`, `${quantile(samples, 0.95).toFixed(0)} ms`, `${quantile(cpu, 0.5).toFixed(0)} ms`, `${(bytes / 1024).toFixed(0)} KB`].map((c) => c.padStart(8)).join(' ');
    console.log(`${name.padEnd(36)} ${cells}  ${(median / TARGET_MS).toFixed(2)}×       ${(median / first.ms).toFixed(2)}×`);
  }
  await renderer.close();
  const load = loadavg()[0];
  console.log(`\nslowest median ${worst.toFixed(0)} ms: ${worst <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target (${RUNS} runs each, warm worker; load average ${load.toFixed(1)} on ${cpus().length} CPUs: wall times grow with it, CPU times much less)`);
}

void main();
