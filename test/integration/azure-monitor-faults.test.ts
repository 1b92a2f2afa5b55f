/**
 * The Azure Monitor adapter against a fake over real HTTPS: the request shape taken apart against
 * the official Metrics_List spec (declared query names, documented `$filter` form, grain), answers
 * in the spec's shape read into figures, and the waits bounded (per attempt and per read) with
 * retries that give up visibly.
 */
import { AzureMonitorLiveMetrics } from '../../src/adapters/azure-monitor';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { loadSpec } from '../conformance/openapi-check';
import { FakeAzureServer, recordingCredential } from '../support/fake-azure-server';

let tls: TlsMaterial;
let fake: FakeAzureServer;
const env: EnvironmentSettings = { name: 'prod', workspace: { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-prod', name: 'mlw-prod' }, channels: { approvals: [], audit: [], notifications: [] } };
const METRICS_PATH = /\/onlineEndpoints\/taxi-online\/providers\/Microsoft\.Insights\/metrics$/;
const to = new Date('2026-11-02T10:15:00Z');
const from = new Date('2026-11-02T10:00:00Z');

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => { fake = await FakeAzureServer.https(tls); });
afterEach(async () => { await fake.close(); });

function adapter(opts: { readTimeoutMs?: number; timeoutMs?: number; maxRetries?: number } = {}) {
  const credential = recordingCredential();
  const metrics = new AzureMonitorLiveMetrics(credential, { environments: [env], armEndpoint: fake.url, ca: tls.ca, log: new CapturingLogger(), retryDelayMs: 5, ...opts });
  return { metrics, credential };
}

const series = (dims: Record<string, string>, values: number[], agg: 'total' | 'average') => ({
  metadatavalues: Object.entries(dims).map(([name, value]) => ({ name: { value: name, localizedValue: name }, value })),
  data: values.map((v, i) => ({ timeStamp: new Date(from.getTime() + i * 60_000).toISOString(), [agg]: v })),
});
const answer = (metric: string, unit: string, timeseries: unknown[]) => ({
  cost: 0, timespan: `${from.toISOString()}/${to.toISOString()}`, interval: 'PT1M', namespace: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints', resourceregion: 'westeurope',
  value: [{ id: `x/providers/Microsoft.Insights/metrics/${metric}`, type: 'Microsoft.Insights/metrics', name: { value: metric, localizedValue: metric }, unit, timeseries, errorCode: 'Success' }],
});

describe('request shape against the official Metrics_List spec', () => {
  it('sends only declared query parameters, the api-version of the spec, and the documented filter form', async () => {
    fake.on('GET', METRICS_PATH, (req) => ({ body: answer(req.query.get('metricnames')!, 'Count', []) }));
    const { metrics, credential } = adapter();
    await metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ["blue", "o'brien"]);
    expect(fake.requests).toHaveLength(2);
    const spec = loadSpec('monitor-metrics-2023-10-01.json');
    const declared = Object.values(spec.parameters as Record<string, { name: string; in: string }>).filter((p) => p.in === 'query').map((p) => p.name);
    for (const req of fake.requests) {
      expect([...req.query.keys()].filter((k) => !declared.includes(k))).toEqual([]);
      expect(req.query.get('api-version')).toBe(spec.info.version);
      expect(req.path).toBe('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod/onlineEndpoints/taxi-online/providers/Microsoft.Insights/metrics');
      expect(req.query.get('timespan')).toBe('2026-11-02T10:00:00.000Z/2026-11-02T10:15:00.000Z');
      expect(req.query.get('interval')).toBe('PT1M');
      expect(req.headers.authorization).toBe('Bearer test-token');
    }
    const byMetric = Object.fromEntries(fake.requests.map((r) => [r.query.get('metricnames'), r.query]));
    expect(byMetric['RequestsPerMinute']!.get('aggregation')).toBe('Total');
    expect(byMetric['RequestsPerMinute']!.get('$filter')).toBe("deployment eq 'blue' or deployment eq 'o''brien' and statusCodeClass eq '*'");
    expect(byMetric['RequestLatency_P95']!.get('aggregation')).toBe('Average');
    expect(byMetric['RequestLatency_P95']!.get('$filter')).toBe("deployment eq 'blue' or deployment eq 'o''brien'");
    expect(credential.scopes[0]).toEqual(['https://management.azure.com/.default']);
  });

  it('picks a coarser grain for a long window, so a day is 288 points, not 1440', async () => {
    fake.on('GET', METRICS_PATH, (req) => ({ body: answer(req.query.get('metricnames')!, 'Count', []) }));
    await adapter().metrics.deploymentFigures('prod', 'taxi-online', { from: new Date(to.getTime() - 86_400_000), to }, []);
    expect(fake.requests.map((r) => r.query.get('interval'))).toEqual(['PT5M', 'PT5M']);
    expect(fake.requests.find((r) => r.query.get('metricnames') === 'RequestsPerMinute')!.query.get('$filter')).toBe("deployment eq '*' and statusCodeClass eq '*'");
  });
});

describe('reading the answer', () => {
  it('sums requests and 5xx over the window and weights p95 by the requests of each minute', async () => {
    fake.on('GET', METRICS_PATH, (req) => req.query.get('metricnames') === 'RequestsPerMinute'
      ? { body: answer('RequestsPerMinute', 'Count', [
        series({ deployment: 'green', statusCodeClass: '2xx' }, [90, 9], 'total'),
        series({ deployment: 'green', statusCodeClass: '5xx' }, [10, 1], 'total'),
        series({ deployment: 'blue', statusCodeClass: '2xx' }, [500, 500], 'total'),
      ]) }
      // Azure may write dimension names in lower case.
      : { body: answer('RequestLatency_P95', 'MilliSeconds', [series({ deployment: 'green' }, [200, 900], 'average'), { metadatavalues: [{ name: { value: 'deployment' }, value: 'blue' }], data: [{ timeStamp: from.toISOString(), average: 80 }, { timeStamp: to.toISOString() }] }]) });
    const figures = await adapter().metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['green', 'blue', 'gone']);
    expect(figures).toEqual([
      { deployment: 'green', requests: 110, errors5xx: 11, latencyP95Ms: 263.6 },
      { deployment: 'blue', requests: 1000, errors5xx: 0, latencyP95Ms: 80 },
      { deployment: 'gone', requests: null, errors5xx: null, latencyP95Ms: null },
    ]);
  });

  it('a metric that reports an error counts as missing data, a body without value[] is an unreadable answer', async () => {
    fake.on('GET', METRICS_PATH, (req) => ({ body: { ...answer(req.query.get('metricnames')!, 'Count', []), value: [{ id: 'x', type: 'Microsoft.Insights/metrics', name: { value: req.query.get('metricnames') }, unit: 'Count', timeseries: [], errorCode: 'Throttled' }] } }));
    expect(await adapter().metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['blue'])).toEqual([{ deployment: 'blue', requests: null, errors5xx: null, latencyP95Ms: null }]);
    fake.on('GET', METRICS_PATH, { body: { timespan: 'x' } });
    await expect(adapter().metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['blue'])).rejects.toMatchObject({ code: 'upstream_invalid' });
  });
});

describe('bounded waits and visible give-ups', () => {
  it('a read that hangs ends at its deadline as a timeout', async () => {
    fake.on('GET', METRICS_PATH, { delayMs: 5_000, body: {} });
    const started = Date.now();
    await expect(adapter({ readTimeoutMs: 300, timeoutMs: 10_000, maxRetries: 0 }).metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['blue'])).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('taxi-online') });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('retries a 503 and then gives up as unavailable; a 403 names the role to grant', async () => {
    fake.on('GET', METRICS_PATH, { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'busy' } } });
    await expect(adapter({ maxRetries: 1 }).metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['blue'])).rejects.toMatchObject({ code: 'upstream_unavailable' });
    // Two queries, each retried once; the read ends with the first that gives up.
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.length).toBeLessThanOrEqual(4);
    fake.on('GET', METRICS_PATH, { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } });
    await expect(adapter().metrics.deploymentFigures('prod', 'taxi-online', { from, to }, ['blue'])).rejects.toMatchObject({ code: 'upstream_auth', remedy: expect.stringContaining('Monitoring Reader') });
  });
});
