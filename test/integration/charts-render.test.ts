/**
 * Each chart type drawn for real (Vega-Lite → Vega SVG → resvg PNG in the worker thread) and the PNG
 * decoded: its size, its dimensions at chat size, and that it is a picture (many colours, the
 * series' own colours present), not a blank or an error image.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { VegaChartRenderer } from '../../src/adapters/charts';
import { drawChart } from '../../src/core/charts';
import type { ChartSpec } from '../../src/core/charts/types';
import { CapturingLogger } from '../fakes/logger';
import { rolloutSample, smallTrendSample, trendSample } from '../support/chart-samples';

const renderer = new VegaChartRenderer();
afterAll(() => renderer.close());

interface Decoded { bytes: number; width: number; height: number; colours: Set<number>; inked: number; has(hex: string): boolean }

function decode(png: Uint8Array): Decoded {
  const image = PNG.sync.read(Buffer.from(png));
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 235 || g < 235 || b < 235) inked += 1;
  }
  return {
    bytes: png.byteLength, width: image.width, height: image.height, colours, inked: inked / (image.width * image.height),
    has: (hex) => colours.has(Number.parseInt(hex.slice(1), 16)),
  };
}

async function drawn(spec: ChartSpec): Promise<Decoded> {
  const png = await renderer.render(spec);
  expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
  return decode(png);
}

const chatSized = (d: Decoded): void => {
  expect(d.bytes).toBeLessThanOrEqual(200 * 1024);
  // Drawn at twice a chat column's width (about 480 CSS px), within Teams' 1024 px image limit.
  expect(d.width).toBeGreaterThanOrEqual(800);
  expect(d.width).toBeLessThanOrEqual(1024);
  expect(d.height).toBeGreaterThanOrEqual(400);
  expect(d.height).toBeLessThanOrEqual(1024);
  expect(d.colours.size).toBeGreaterThan(50);
  expect(d.inked).toBeGreaterThan(0.03);
};

it('metric trend: thirty versions, the three environments marked, the guard band around prod', async () => {
  const d = await drawn(trendSample(30));
  chatSized(d);
  // The line (blue), the markers of dev (green), preprod (orange) and prod (vermillion).
  for (const colour of ['#0072B2', '#009E73', '#E69F00', '#D55E00']) expect(d.has(colour)).toBe(true);
  // The band: Okabe-Ito orange at 20% over white.
  expect(d.has('#FAECCC')).toBe(true);
});

it('metric trend without a band: two versions, dev only', async () => {
  const d = await drawn(smallTrendSample());
  chatSized(d);
  expect(d.has('#0072B2')).toBe(true);
  expect(d.has('#009E73')).toBe(true);
  expect(d.has('#FAECCC')).toBe(false);
  expect(d.has('#D55E00')).toBe(false);
});

it('rollout: canary and baseline, error rate and p95 per step', async () => {
  const d = await drawn(rolloutSample());
  chatSized(d);
  expect(d.has('#D55E00')).toBe(true); // canary
  expect(d.has('#0072B2')).toBe(true); // baseline
});

it('a chart that overruns its time limit is given up and the card says so; the next one draws', async () => {
  const hasty = new VegaChartRenderer({ timeoutMs: 1 });
  const log = new CapturingLogger();
  const image = await drawChart(hasty, trendSample(5), log);
  expect(image).toMatchObject({ name: 'taxi-model-rmse', missing: expect.stringContaining('could not be drawn') });
  expect(image?.png).toBeUndefined();
  await hasty.close();
  const next = await drawChart(renderer, trendSample(5), log);
  expect(next?.png?.byteLength).toBeGreaterThan(1000);
  expect(next?.missing).toBeUndefined();
});

it('a spec the libraries reject fails that chart only', async () => {
  await expect(renderer.render({ kind: 'metric-trend', name: 'broken', alt: '', vegaLite: { mark: 'nonsense-mark', data: { values: [] } } })).rejects.toThrow(/not drawn/);
  expect((await renderer.render(smallTrendSample())).byteLength).toBeGreaterThan(1000);
});

it('fetches nothing a spec names: data and image URLs are refused, no request leaves the renderer', async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => { hits.push(req.url ?? ''); res.writeHead(200, { 'content-type': 'application/json' }); res.end('[{"x":1,"y":2}]'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const fromUrl = (url: string): ChartSpec => ({
      kind: 'metric-trend', name: 'probe', alt: 'probe',
      vegaLite: { data: { url }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    });
    // Vega draws an empty chart when a load fails; what matters is that nothing was asked for.
    await renderer.render(fromUrl(`${base}/data.json`)).catch(() => undefined);
    const image: ChartSpec = { kind: 'metric-trend', name: 'img', alt: 'img', vegaLite: { data: { values: [{ u: `${base}/pic.png` }] }, mark: 'image', encoding: { url: { field: 'u', type: 'nominal' }, x: { value: 1 }, y: { value: 1 } } } };
    await renderer.render(image).catch(() => undefined);
    expect(hits).toEqual([]);
  } finally {
    server.close();
  }
});
