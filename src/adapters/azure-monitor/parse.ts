/**
 * Reads a Metrics_List answer (`Response` of metrics_API.json 2023-10-01: `value[]` of `Metric`,
 * each with `timeseries[].metadatavalues[]` naming the dimension values and `data[]` points with
 * the asked aggregation) into per-deployment sums. Untrusted: anything unexpected is skipped, a
 * body that is not the documented shape is reported.
 */
type Json = Record<string, unknown>;

export interface SeriesPoint {
  timeStamp: string;
  value: number;
}

export interface Series {
  dims: Record<string, string>;
  points: SeriesPoint[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The series of one metric, or null when the metric is absent or reported an error. */
export function seriesOf(body: unknown, metric: string, aggregation: 'total' | 'average'): Series[] | null {
  if (!isObject(body) || !Array.isArray(body['value'])) throw new Error('metrics answer without value[]');
  const found = body['value'].find((m) => isObject(m) && isObject(m['name']) && String(m['name']['value']).toLowerCase() === metric.toLowerCase());
  if (!isObject(found)) return null;
  if (typeof found['errorCode'] === 'string' && found['errorCode'] !== 'Success') return null;
  const out: Series[] = [];
  for (const ts of Array.isArray(found['timeseries']) ? found['timeseries'] : []) {
    if (!isObject(ts)) continue;
    const dims: Record<string, string> = {};
    for (const md of Array.isArray(ts['metadatavalues']) ? ts['metadatavalues'] : []) {
      if (isObject(md) && isObject(md['name']) && typeof md['name']['value'] === 'string') dims[md['name']['value'].toLowerCase()] = String(md['value'] ?? '');
    }
    const points: SeriesPoint[] = [];
    for (const p of Array.isArray(ts['data']) ? ts['data'] : []) {
      const value = isObject(p) ? p[aggregation] : undefined;
      if (isObject(p) && typeof value === 'number' && Number.isFinite(value)) points.push({ timeStamp: String(p['timeStamp']), value });
    }
    out.push({ dims, points });
  }
  return out;
}

/** Deployment names compare case-insensitively (Azure lower-cases some dimension values). */
export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface RequestSums {
  requests: number;
  errors5xx: number;
  /** Requests per data point, to weight the latency of the same points. */
  perPoint: Map<string, number>;
}

export function requestSums(series: Series[], deployment: string): RequestSums | null {
  const mine = series.filter((s) => s.dims['deployment'] !== undefined && sameName(s.dims['deployment'], deployment));
  if (mine.length === 0 || mine.every((s) => s.points.length === 0)) return null;
  const perPoint = new Map<string, number>();
  let requests = 0;
  let errors5xx = 0;
  for (const s of mine) {
    const fiveXx = (s.dims['statuscodeclass'] ?? '').toLowerCase() === '5xx';
    for (const p of s.points) {
      requests += p.value;
      if (fiveXx) errors5xx += p.value;
      perPoint.set(p.timeStamp, (perPoint.get(p.timeStamp) ?? 0) + p.value);
    }
  }
  return { requests: Math.round(requests), errors5xx: Math.round(errors5xx), perPoint };
}

/**
 * p95 over the window from per-point p95 values: weighted by the deployment's requests in the same
 * point when they are known (a busy minute counts more than an idle one), a plain mean otherwise.
 */
export function latencyP95(series: Series[], deployment: string, weights?: Map<string, number>): number | null {
  const points = series.filter((s) => s.dims['deployment'] !== undefined && sameName(s.dims['deployment'], deployment)).flatMap((s) => s.points);
  if (points.length === 0) return null;
  const weighted = points.map((p) => ({ v: p.value, w: weights?.get(p.timeStamp) ?? 0 }));
  const total = weighted.reduce((n, p) => n + p.w, 0);
  const mean = total > 0 ? weighted.reduce((n, p) => n + p.v * p.w, 0) / total : points.reduce((n, p) => n + p.value, 0) / points.length;
  return Math.round(mean * 10) / 10;
}

/** Deployment names the series carry (for "one entry per deployment that the metrics name"). */
export function deploymentsIn(...lists: (Series[] | null)[]): string[] {
  const names: string[] = [];
  for (const list of lists) for (const s of list ?? []) {
    const d = s.dims['deployment'];
    if (d && !names.some((n) => sameName(n, d))) names.push(d);
  }
  return names;
}
