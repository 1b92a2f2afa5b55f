/**
 * The Azure Monitor adapter against the emulator's metrics API: the read is two Metrics_List
 * queries sent together (counted), shaped as the official spec and Azure ML's published metrics
 * say; the emulator answers traffic-weighted figures that are the same for the same window, and a
 * version tagged to misbehave shows it.
 */
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { buildAzurePorts } from '../../src/app/azure';
import { loadConfig, parseRuntimeEnv } from '../../src/config';
import { AzureMonitorLiveMetrics } from '../../src/adapters/azure-monitor';
import { AzureMlServing } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { EmulatorExchange } from '../../src/emulator/exchange';
import { call, ManualClock, tempDir, token } from './emulator-client';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';

const clock = new ManualClock(Date.parse('2026-11-02T10:00:00Z'));
let tmp: ReturnType<typeof tempDir>;
let emu: RunningEmulator;
let metrics: AzureMonitorLiveMetrics;
let serving: AzureMlServing;
const exchanges: EmulatorExchange[] = [];
const conformance = conformanceRecorder();
const metricCalls = () => exchanges.filter((e) => /Microsoft\.Insights\/metrics$/i.test(e.path));

beforeAll(async () => {
  tmp = tempDir();
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: tmp.dir, log, autoTick: false, clock, onExchange: (e) => { exchanges.push(e); conformance.onExchange(e); } });
  const envs: EnvironmentSettings[] = ['dev', 'preprod', 'prod'].map((name) => ({
    name,
    workspace: { subscriptionId: emu.subscriptionId, resourceGroup: `rg-mlopsv2-0001${name}`, name: `mlw-mlopsv2-0001${name}` },
    channels: { approvals: [], audit: [], notifications: [] },
  }));
  const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader });
  metrics = new AzureMonitorLiveMetrics(credential, { environments: envs, armEndpoint: emu.armUrl, ca: emu.ca, log, timeoutMs: 10_000 });
  serving = new AzureMlServing(credential, { environments: envs, armEndpoint: emu.armUrl, ca: emu.ca, log, lroPollIntervalMs: 10, timeoutMs: 10_000 });
});
afterAll(async () => {
  await emu?.close();
  tmp?.cleanup();
});


const minutes = (n: number) => n * 60_000;
const windowOf = (fromMs: number, toMs: number) => ({ from: new Date(fromMs), to: new Date(toMs) });

describe('live metrics of an online endpoint on the emulator', () => {
  it('reads requests, 5xx and p95 per deployment in two requests sent together, shaped as Metrics_List', async () => {
    exchanges.length = 0;
    const w = windowOf(clock.ms - minutes(15), clock.ms);
    const figures = await metrics.deploymentFigures('prod', 'taxi-online', w, ['blue', 'green']);
    expect(metricCalls()).toHaveLength(2);
    const [requests, latency] = ['RequestsPerMinute', 'RequestLatency_P95'].map((m) => metricCalls().find((e) => e.query['metricnames'] === m)!);
    expect(requests.path).toBe(`/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001prod/onlineEndpoints/taxi-online/providers/Microsoft.Insights/metrics`);
    expect(requests.query).toEqual({
      'api-version': '2023-10-01', metricnamespace: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints', metricnames: 'RequestsPerMinute',
      aggregation: 'Total', interval: 'PT1M', timespan: `${w.from.toISOString()}/${w.to.toISOString()}`,
      $filter: "deployment eq 'blue' or deployment eq 'green' and statusCodeClass eq '*'", top: '24',
    });
    expect(latency.query).toMatchObject({ aggregation: 'Average', interval: 'PT1M', $filter: "deployment eq 'blue' or deployment eq 'green'" });
    expect(requests.status).toBe(200);
    // blue has all live traffic (about 10 requests a second), green none: no data, not zero.
    const blue = figures.find((f) => f.deployment === 'blue')!;
    expect(blue.requests).toBeGreaterThan(15 * 60 * 10 * 0.8);
    expect(blue.requests).toBeLessThan(15 * 60 * 10 * 1.2);
    expect(blue.errors5xx).toBeLessThan(blue.requests! * 0.01);
    expect(blue.latencyP95Ms).toBeGreaterThan(70);
    expect(blue.latencyP95Ms).toBeLessThan(95);
    expect(figures.find((f) => f.deployment === 'green')).toEqual({ deployment: 'green', requests: null, errors5xx: null, latencyP95Ms: null });
  });

  it('gives the same figures for the same window, and nothing for a window in the future', async () => {
    const w = windowOf(clock.ms - minutes(10), clock.ms - minutes(5));
    const a = await metrics.deploymentFigures('prod', 'taxi-online', w, ['blue']);
    const b = await metrics.deploymentFigures('prod', 'taxi-online', w, ['blue']);
    expect(a).toEqual(b);
    const future = await metrics.deploymentFigures('prod', 'taxi-online', windowOf(clock.ms + minutes(1), clock.ms + minutes(5)), ['blue']);
    expect(future).toEqual([{ deployment: 'blue', requests: null, errors5xx: null, latencyP95Ms: null }]);
  });

  it('splits by the live traffic of each moment, and a version tagged to misbehave shows its errors and latency', async () => {
    // green serves taxi-model v2 in prod: tag it as the emulator's misbehaving version.
    const url = `${emu.armUrl}/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001dev/models/taxi-model/versions/2?api-version=2022-10-01`;
    const headers = { authorization: `Bearer ${await token(emu)}` };
    const current = await call(url, { headers, ca: emu.ca });
    const props = { ...current.body.properties, tags: { ...current.body.properties.tags, 'emulator.errorRate': '0.08', 'emulator.latencyMs': '400' } };
    expect((await call(url, { method: 'PUT', headers, ca: emu.ca, body: { properties: props } })).status).toBeLessThan(300);
    const switchedAt = clock.ms;
    await serving.setTraffic('prod', 'taxi-online', { blue: 90, green: 10 });
    clock.advance(30_000);
    // The 30 s since the switch: green has its 10% share, blue 90%.
    exchanges.length = 0;
    const figures = await metrics.deploymentFigures('prod', 'taxi-online', windowOf(switchedAt, clock.ms), ['green', 'blue']);
    expect(metricCalls()).toHaveLength(2);
    const [green, blue] = figures;
    expect(green.deployment).toBe('green');
    expect(green.requests).toBeGreaterThanOrEqual(20);
    expect(green.requests).toBeLessThanOrEqual(40);
    expect(blue.requests! / (blue.requests! + green.requests!)).toBeCloseTo(0.9, 1);
    expect(green.errors5xx! / green.requests!).toBeGreaterThan(0.04);
    expect(green.latencyP95Ms).toBeGreaterThan(370);
    expect(blue.latencyP95Ms).toBeLessThan(100);
    // Before the switch green had no live traffic: nothing to report for that window.
    const before = await metrics.deploymentFigures('prod', 'taxi-online', windowOf(switchedAt - minutes(5), switchedAt), ['green']);
    expect(before[0].requests).toBeNull();
  });

  it('names deployments the metrics carry when none are asked for', async () => {
    const figures = await metrics.deploymentFigures('prod', 'taxi-online', windowOf(clock.ms - minutes(1), clock.ms), []);
    expect(figures.map((f) => f.deployment).sort()).toEqual(['blue', 'green']);
  });

  it('says which endpoint was not found, and which environment does not exist', async () => {
    await expect(metrics.deploymentFigures('prod', 'nope', windowOf(clock.ms - minutes(5), clock.ms), ['blue'])).rejects.toMatchObject({ code: 'upstream_not_found', message: expect.stringContaining('nope') });
    await expect(metrics.deploymentFigures('qa', 'taxi-online', windowOf(clock.ms - minutes(5), clock.ms), ['blue'])).rejects.toMatchObject({ code: 'unknown_env' });
  });
});

describe('the emulator metrics API refuses what Azure refuses', () => {
  const base = () => `${emu.armUrl}/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001prod/onlineEndpoints/taxi-online/providers/Microsoft.Insights/metrics`;
  const ask = async (query: string) => call(`${base()}?${query}`, { headers: { authorization: `Bearer ${await token(emu)}` }, ca: emu.ca });

  it('a dimension the metric does not have, an unknown metric, a bad interval or api-version', async () => {
    const span = `timespan=${encodeURIComponent('2026-11-02T09:00:00Z/2026-11-02T09:10:00Z')}`;
    expect((await ask(`api-version=2023-10-01&${span}&metricnames=RequestLatency_P95&%24filter=${encodeURIComponent("statusCodeClass eq '*'")}`)).status).toBe(400);
    expect((await ask(`api-version=2023-10-01&${span}&metricnames=CpuUtilizationPercentage`)).status).toBe(400);
    expect((await ask(`api-version=2023-10-01&${span}&metricnames=RequestsPerMinute&interval=PT2M`)).status).toBe(400);
    expect((await ask(`api-version=2022-10-01&${span}&metricnames=RequestsPerMinute`)).status).toBe(400);
    const whole = await ask(`api-version=2023-10-01&${span}&metricnames=RequestsPerMinute&aggregation=total&interval=FULL`);
    expect(whole.status).toBe(200);
    expect(whole.body.value[0].timeseries).toHaveLength(1);
    expect(whole.body.value[0].timeseries[0].data).toHaveLength(1);
    expect(whole.body.value[0].timeseries[0].data[0].total).toBeGreaterThan(4000);
  });
});

describe('the composition root', () => {
  it('wires the adapter with the ML adapters\' endpoint, audience and CA: the demo configuration reads the emulator', async () => {
    const loaded = await loadConfig(parseRuntimeEnv({ DATABASE_URL: 'sqlite::memory:' }), async () => '');
    const ports = buildAzurePorts(loaded.settings, loaded.runtime, {
      armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emu.devopsUrl,
      identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader, ca: emu.ca, graphEndpoint: emu.armUrl,
    }, new CapturingLogger());
    const figures = await ports.liveMetrics.deploymentFigures('prod', 'taxi-online', windowOf(clock.ms - minutes(5), clock.ms), ['blue']);
    expect(figures[0].requests).toBeGreaterThan(0);
  });
});

describe('conformance', () => {
  it('every metrics request and answer is as the official Metrics_List spec describes', () => {
    expect(conformance.covered()).toContain('Metrics_List');
    expect(conformance.violations()).toEqual([]);
  });
});
