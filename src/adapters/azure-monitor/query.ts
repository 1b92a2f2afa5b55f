/**
 * The two Metrics_List queries of one read, as Azure ML online endpoints publish them
 * (Microsoft.MachineLearningServices/workspaces/onlineEndpoints, Azure Monitor supported-metrics
 * reference): `RequestsPerMinute` (Count; dimensions deployment, statusCode, statusCodeClass,
 * modelStatusCode) split by deployment and status-code class, and `RequestLatency_P95`
 * (Milliseconds, Average; dimension deployment) split by deployment.
 */
import type { WorkspaceRef } from '../../core/settings';
import { METRICS_API_VERSION } from './options';

export const ENDPOINT_NAMESPACE = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints';
export const REQUESTS_METRIC = 'RequestsPerMinute';
export const LATENCY_METRIC = 'RequestLatency_P95';

export interface MetricsQuery {
  metric: typeof REQUESTS_METRIC | typeof LATENCY_METRIC;
  aggregation: 'Total' | 'Average';
  filter: string;
  interval: string;
  timespan: string;
  top: number;
}

/** Grains Azure Monitor accepts, smallest first; the read picks the smallest that keeps points few. */
const GRAINS: [string, number][] = [['PT1M', 1], ['PT5M', 5], ['PT15M', 15], ['PT30M', 30], ['PT1H', 60], ['PT6H', 360], ['PT12H', 720], ['P1D', 1440]];
const MAX_POINTS = 360;

export function grainFor(window: { from: Date; to: Date }): string {
  const minutes = Math.max(1, (window.to.getTime() - window.from.getTime()) / 60_000);
  return (GRAINS.find(([, m]) => minutes / m <= MAX_POINTS) ?? GRAINS[GRAINS.length - 1])[0];
}

/** OData literal: a quote inside a deployment name is doubled. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * `deployment eq 'a' or deployment eq 'b'` (the spec's form for several values of one dimension),
 * or `deployment eq '*'` (every deployment, split) when none is named.
 */
export function deploymentClause(deployments: string[]): string {
  return deployments.length ? deployments.map((d) => `deployment eq ${literal(d)}`).join(' or ') : "deployment eq '*'";
}

export function readQueries(window: { from: Date; to: Date }, deployments: string[]): [MetricsQuery, MetricsQuery] {
  const timespan = `${window.from.toISOString()}/${window.to.toISOString()}`;
  const interval = grainFor(window);
  // Series per deployment: one per status-code class (1xx…5xx) on requests; `top` defaults to 10.
  const named = Math.max(deployments.length, 4);
  const clause = deploymentClause(deployments);
  return [
    { metric: REQUESTS_METRIC, aggregation: 'Total', filter: `${clause} and statusCodeClass eq '*'`, interval, timespan, top: named * 6 },
    { metric: LATENCY_METRIC, aggregation: 'Average', filter: clause, interval, timespan, top: named * 2 },
  ];
}

export function endpointResourceId(ws: WorkspaceRef, endpoint: string): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}/onlineEndpoints/${encodeURIComponent(endpoint)}`;
}

export function metricsUrl(armEndpoint: string, resourceId: string, q: MetricsQuery): string {
  const params = new URLSearchParams({
    'api-version': METRICS_API_VERSION,
    metricnamespace: ENDPOINT_NAMESPACE,
    metricnames: q.metric,
    aggregation: q.aggregation,
    interval: q.interval,
    timespan: q.timespan,
    $filter: q.filter,
    top: String(q.top),
  });
  return `${armEndpoint}${resourceId}/providers/Microsoft.Insights/metrics?${params.toString().replace(/\+/g, '%20')}`;
}
