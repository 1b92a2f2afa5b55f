/**
 * The query of Azure Monitor's Metrics_List (metrics_API.json 2023-10-01) as the emulator reads it:
 * timespan `start/end`, interval (ISO grain or FULL), aggregations, `$filter` in the documented form
 * (`A eq 'a1' and B eq 'b1' or B eq 'b2' and C eq '*'`: `and` joins dimensions, `or` lists values
 * of one dimension; `'*'` splits by it), `top`. Errors name the parameter, as the service does.
 */
import { queryParam } from './router';

export const AGGREGATIONS = ['average', 'count', 'minimum', 'maximum', 'total'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

const GRAINS: Record<string, number> = { PT1M: 1, PT5M: 5, PT15M: 15, PT30M: 30, PT1H: 60, PT6H: 360, PT12H: 720, P1D: 1440 };

export interface DimensionCondition {
  /** Lower-cased dimension name. */
  name: string;
  /** Every dimension the filter names comes back as its own series (metadatavalues), `'*'` or not. */
  split: boolean;
  /** Lower-cased values kept (`eq`), or left out (`ne`). */
  equals: string[];
  notEquals: string[];
}

export interface MetricsRequest {
  metricNames: string[];
  namespace?: string;
  aggregations: Aggregation[];
  from: number;
  to: number;
  /** Grain in ms, or null for FULL. */
  grainMs: number | null;
  interval: string;
  conditions: DimensionCondition[];
  top: number;
  validateDimensions: boolean;
}

export class QueryError extends Error {}

function parseTimespan(text: string | undefined, now: number): { from: number; to: number } {
  if (!text) return { from: now - 3_600_000, to: now };
  const [a, b] = text.split('/');
  const from = Date.parse(a ?? '');
  const to = Date.parse(b ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new QueryError(`Invalid timespan '${text}': expected 'startDateTime_ISO/endDateTime_ISO'.`);
  if (to <= from) throw new QueryError(`Invalid timespan '${text}': the end must be after the start.`);
  return { from, to };
}

function parseFilter(text: string | undefined): DimensionCondition[] {
  if (!text || !text.trim()) return [];
  const out = new Map<string, DimensionCondition>();
  for (const clause of text.split(/\s+and\s+/i)) {
    for (const term of clause.split(/\s+or\s+/i)) {
      const m = /^\s*\(?\s*([A-Za-z0-9_.]+)\s+(eq|ne)\s+'((?:[^']|'')*)'\s*\)?\s*$/i.exec(term);
      if (!m) throw new QueryError(`Invalid $filter '${text}': cannot read '${term.trim()}'.`);
      const name = m[1].toLowerCase();
      const value = m[3].replace(/''/g, "'").toLowerCase();
      const c = out.get(name) ?? { name, split: true, equals: [], notEquals: [] };
      out.set(name, c);
      if (value === '*') continue;
      if (m[2].toLowerCase() === 'eq') c.equals.push(value);
      else c.notEquals.push(value);
      out.set(name, c);
    }
  }
  return [...out.values()];
}

export function parseMetricsRequest(query: URLSearchParams, now: number, defaultMetric: string): MetricsRequest {
  const { from, to } = parseTimespan(queryParam(query, 'timespan'), now);
  const interval = (queryParam(query, 'interval') ?? 'PT1M').toUpperCase();
  const minutes = GRAINS[interval];
  if (interval !== 'FULL' && minutes === undefined) throw new QueryError(`Invalid interval '${interval}': use one of ${Object.keys(GRAINS).join(', ')} or FULL.`);
  const aggregations = (queryParam(query, 'aggregation') ?? 'average').split(',').map((a) => a.trim().toLowerCase()).filter(Boolean);
  const unknown = aggregations.filter((a) => !(AGGREGATIONS as readonly string[]).includes(a));
  if (unknown.length) throw new QueryError(`Invalid aggregation '${unknown.join(',')}': use ${AGGREGATIONS.join(', ')}.`);
  const topText = queryParam(query, 'top') ?? queryParam(query, '$top');
  const top = topText === undefined ? 10 : Number(topText);
  if (!Number.isInteger(top) || top < 1) throw new QueryError(`Invalid top '${topText}'.`);
  return {
    metricNames: (queryParam(query, 'metricnames') ?? defaultMetric).split(',').map((n) => n.trim()).filter(Boolean),
    namespace: queryParam(query, 'metricnamespace'),
    aggregations: aggregations as Aggregation[],
    from, to,
    grainMs: interval === 'FULL' ? null : minutes * 60_000,
    interval,
    conditions: parseFilter(queryParam(query, '$filter')),
    top,
    validateDimensions: (queryParam(query, 'ValidateDimensions') ?? 'true').toLowerCase() !== 'false',
  };
}
