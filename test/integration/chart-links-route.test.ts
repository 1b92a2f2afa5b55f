/**
 * `GET /charts` on the bot's HTTP server: a link the bot signed gets the PNG drawn from the spec it
 * carries; a tampered or expired link gets 403 and nothing is drawn.
 */
import { PNG } from 'pngjs';
import { ChartLinks, mountChartLinks, VegaChartRenderer } from '../../src/adapters/charts';
import type { ChartSpec } from '../../src/core/charts/types';
import type { ChartRenderer } from '../../src/core/ports';
import { startHttpServer, type HttpServer } from '../../src/http';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { trendSample } from '../support/chart-samples';

const clock = new FakeClock(new Date().toISOString());
const vega = new VegaChartRenderer();
const drawnCharts: string[] = [];
const counting: ChartRenderer = { render: (c: ChartSpec) => (drawnCharts.push(c.name), vega.render(c)), warm: () => vega.warm() };
let server: HttpServer;
let links: ChartLinks;

beforeAll(async () => {
  const log = new CapturingLogger();
  server = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  links = new ChartLinks({ key: Buffer.alloc(32, 1), baseUrl: server.url, clock, ttlMs: 60_000 });
  mountChartLinks(server, links, counting, log);
});
afterAll(async () => {
  await server.close();
  await vega.close();
});

it('serves the PNG of a signed link', async () => {
  const res = await fetch(links.url(trendSample(8)));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  expect(png.width).toBeGreaterThan(500);
  expect(drawnCharts).toEqual(['taxi-model-rmse']);
});

it('refuses tampered, foreign and expired links without drawing', async () => {
  drawnCharts.length = 0;
  const url = new URL(links.url(trendSample(8)));
  const tampered = new URL(url);
  tampered.searchParams.set('e', String(Number(url.searchParams.get('e')) + 1));
  const foreign = new ChartLinks({ key: Buffer.alloc(32, 2), baseUrl: server.url, clock }).url(trendSample(8));
  for (const target of [tampered.toString(), foreign, `${server.url}/charts`]) {
    const res = await fetch(target);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('This chart link is not valid or has expired.');
  }
  clock.advance(60_000);
  expect((await fetch(url)).status).toBe(403);
  expect(drawnCharts).toEqual([]);
});
