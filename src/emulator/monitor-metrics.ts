/**
 * Azure Monitor metrics of the emulator's online endpoints: `GET {endpoint id}/providers/
 * Microsoft.Insights/metrics` answered with the `Response` shape of metrics_API.json 2023-10-01,
 * from the synthetic load of serving-load.ts. The metrics and dimensions are those Azure ML online
 * endpoints publish: RequestsPerMinute (deployment, statusCode, statusCodeClass, modelStatusCode)
 * and RequestLatency / RequestLatency_P50…P99 (deployment).
 */
import { armError, armRoute, WS_PATH } from './arm-common';
import type { EmulatorContext } from './context';
import { type Aggregation, type MetricsRequest, parseMetricsRequest, QueryError } from './monitor-query';
import type { Ctx, Router } from './router';
import { sendJson } from './router';
import { loadOver } from './serving-load';
import type { WorkspaceState } from './state';

export const METRICS_API_VERSIONS = ['2018-01-01', '2019-07-01', '2021-05-01', '2023-10-01', '2024-02-01'];
const NAMESPACE = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints';

interface MetricInfo { name: string; display: string; unit: string; dims: string[] }
const LATENCY_DIMS = ['deployment'];
const METRICS: MetricInfo[] = [
  { name: 'RequestsPerMinute', display: 'Requests Per Minute', unit: 'Count', dims: ['deployment', 'statusCode', 'statusCodeClass', 'modelStatusCode'] },
  { name: 'RequestLatency', display: 'Request Latency', unit: 'MilliSeconds', dims: LATENCY_DIMS },
  ...['P50', 'P90', 'P95', 'P99'].map((p) => ({ name: `RequestLatency_${p}`, display: `Request Latency ${p}`, unit: 'MilliSeconds', dims: LATENCY_DIMS })),
];
/** How much each latency figure sits from the simulated p95. */
const LATENCY_FACTOR: Record<string, number> = { RequestLatency: 0.55, RequestLatency_P50: 0.5, RequestLatency_P90: 0.85, RequestLatency_P95: 1, RequestLatency_P99: 1.4 };
const STATUS_CODE: Record<string, string> = { '2xx': '200', '4xx': '429', '5xx': '500' };

/** One simulated value: its dimension values (lower-case names), bucket, value and request weight. */
interface Atom { dims: Record<string, string>; bucket: number; value: number; weight: number }

function buckets(req: MetricsRequest, from: number, to: number): { start: number; from: number; to: number }[] {
  if (req.grainMs === null) return [{ start: req.from, from, to }];
  const out = [];
  for (let s = Math.floor(req.from / req.grainMs) * req.grainMs; s < req.to; s += req.grainMs) {
    const a = Math.max(s, from);
    const b = Math.min(s + req.grainMs, to);
    out.push({ start: s, from: a, to: Math.max(a, b) });
  }
  return out;
}

function atomsOf(emu: EmulatorContext, ws: WorkspaceState, endpoint: string, metric: MetricInfo, req: MetricsRequest, live: { from: number; to: number }): Atom[] {
  const atoms: Atom[] = [];
  for (const b of buckets(req, live.from, live.to)) {
    if (b.to <= b.from) continue;
    for (const [deployment, load] of loadOver(emu.state, ws, endpoint, b.from, b.to)) {
      if (metric.name === 'RequestsPerMinute') {
        for (const [cls, n] of Object.entries(load.by)) {
          if (n > 0) atoms.push({ dims: { deployment, statuscodeclass: cls, statuscode: STATUS_CODE[cls] ?? '200', modelstatuscode: STATUS_CODE[cls] ?? '200' }, bucket: b.start, value: n, weight: n });
        }
      } else if (load.latencyP95 !== null) {
        atoms.push({ dims: { deployment }, bucket: b.start, value: Math.round(load.latencyP95 * (LATENCY_FACTOR[metric.name] ?? 1) * 10) / 10, weight: load.requests });
      }
    }
  }
  return atoms;
}

function kept(atom: Atom, req: MetricsRequest): boolean {
  return req.conditions.every((c) => {
    const v = (atom.dims[c.name] ?? '').toLowerCase();
    return (c.equals.length === 0 || c.equals.includes(v)) && !c.notEquals.includes(v);
  });
}

function point(timeStamp: string, atoms: Atom[], aggs: Aggregation[], additive: boolean, grainMinutes: number): Record<string, unknown> {
  const p: Record<string, unknown> = { timeStamp };
  if (atoms.length === 0) return p;
  const sum = atoms.reduce((n, a) => n + a.value, 0);
  const weight = atoms.reduce((n, a) => n + a.weight, 0);
  const mean = additive ? sum / grainMinutes : (weight > 0 ? atoms.reduce((n, a) => n + a.value * a.weight, 0) / weight : sum / atoms.length);
  const round = (x: number) => Math.round(x * 100) / 100;
  for (const agg of aggs) {
    if (agg === 'total') p['total'] = round(additive ? sum : mean * grainMinutes);
    else if (agg === 'count') p['count'] = grainMinutes;
    else p[agg] = round(agg === 'average' ? mean : agg === 'minimum' ? Math.min(...atoms.map((a) => a.value)) : Math.max(...atoms.map((a) => a.value)));
  }
  return p;
}

function metricBody(emu: EmulatorContext, ws: WorkspaceState, endpoint: string, endpointId: string, metric: MetricInfo, req: MetricsRequest, live: { from: number; to: number }): Record<string, unknown> {
  const atoms = atomsOf(emu, ws, endpoint, metric, req, live).filter((a) => kept(a, req));
  const splitBy = req.conditions.filter((c) => c.split).map((c) => c.name);
  const groups = new Map<string, Atom[]>();
  for (const a of atoms) {
    const key = JSON.stringify(splitBy.map((d) => a.dims[d] ?? ''));
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const starts = buckets(req, req.from, req.to).map((b) => b.start);
  const grainMinutes = req.grainMs === null ? Math.max(1, (req.to - req.from) / 60_000) : req.grainMs / 60_000;
  const additive = metric.name === 'RequestsPerMinute';
  const series = [...groups.entries()]
    .sort(([, a], [, b]) => b.reduce((n, x) => n + x.weight, 0) - a.reduce((n, x) => n + x.weight, 0))
    .slice(0, splitBy.length ? req.top : 1)
    .map(([key, list]) => ({
      metadatavalues: (JSON.parse(key) as string[]).map((value, i) => {
        const dim = metric.dims.find((d) => d.toLowerCase() === splitBy[i]) ?? splitBy[i];
        return { name: { value: dim, localizedValue: dim }, value };
      }),
      data: starts.map((s) => point(new Date(s).toISOString().replace('.000Z', 'Z'), list.filter((a) => a.bucket === s), req.aggregations, additive, grainMinutes)),
    }));
  return {
    id: `${endpointId}/providers/Microsoft.Insights/metrics/${metric.name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: metric.name, localizedValue: metric.display },
    displayDescription: `${metric.display} of the online endpoint (emulated).`,
    unit: metric.unit,
    timeseries: series,
    errorCode: 'Success',
  };
}

function answer(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const endpoint = ctx.params['name'] ?? '';
  const ep = ws.onlineEndpoints[endpoint];
  const endpointId = `${wsId}/onlineEndpoints/${endpoint}`;
  if (!ep) return armError(ctx, 404, 'ResourceNotFound', `The Resource '${NAMESPACE}/${ws.name}/${endpoint}' under resource group '${ws.resourceGroup}' was not found.`);
  const version = new URLSearchParams(ctx.query).get('api-version') ?? '';
  if (!METRICS_API_VERSIONS.includes(version)) return armError(ctx, 400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${METRICS_API_VERSIONS.join("','")}'.`);
  const now = emu.clock.now().getTime();
  let req: MetricsRequest;
  try {
    req = parseMetricsRequest(ctx.query, now, 'RequestsPerMinute');
  } catch (e) {
    if (e instanceof QueryError) return armError(ctx, 400, 'BadRequest', e.message);
    throw e;
  }
  if (req.namespace && req.namespace.toLowerCase() !== NAMESPACE.toLowerCase()) return armError(ctx, 400, 'BadRequest', `Metric namespace '${req.namespace}' does not exist on this resource; use '${NAMESPACE}'.`);
  const metrics: MetricInfo[] = [];
  for (const name of req.metricNames) {
    const m = METRICS.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!m) return armError(ctx, 400, 'BadRequest', `Failed to find metric configuration for provider: Microsoft.MachineLearningServices, resource Type: workspaces/onlineEndpoints, metric: ${name}. Valid metrics: ${METRICS.map((x) => x.name).join(',')}`);
    const unknown = req.conditions.filter((c) => !m.dims.some((d) => d.toLowerCase() === c.name));
    if (unknown.length && req.validateDimensions) return armError(ctx, 400, 'BadRequest', `Metric ${m.name} has no dimension ${unknown.map((c) => c.name).join(', ')}; its dimensions are ${m.dims.join(', ')}.`);
    metrics.push(m);
  }
  // Nothing happens before the endpoint exists or after now.
  const created = Date.parse(ep.systemData?.createdAt ?? '') || 0;
  const live = { from: Math.max(req.from, created), to: Math.min(req.to, now) };
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  sendJson(ctx.res, 200, {
    cost: 0,
    timespan: `${iso(req.from)}/${iso(req.to)}`,
    interval: req.interval,
    namespace: NAMESPACE,
    resourceregion: ep.location ?? ws.location,
    value: metrics.map((m) => metricBody(emu, ws, endpoint, endpointId, m, req, live)),
  });
}

export function registerMetricsRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${WS_PATH}/onlineEndpoints/:name/providers/Microsoft.Insights/metrics`, armRoute(emu, (ctx, ws, wsId) => answer(ctx, emu, ws, wsId)));
}
