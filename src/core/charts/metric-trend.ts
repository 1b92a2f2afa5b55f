/**
 * `compare` and `model`: one metric by version, the versions serving each environment marked, and
 * the promotion guard's tolerance band around the value of the version in production.
 */
import type { Goal } from '../format/metrics';
import { formatMetric } from '../format/numbers';
import { CHART_CONFIG, ENV_COLOURS, ENV_SHAPES, OKABE_ITO } from './palette';
import { CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from './types';

export interface TrendPoint { version: string; value: number }
export interface GuardBand { env: string; version: string; value: number; tolerance: number }

export interface MetricTrendInput {
  model: string;
  metric: string;
  goal: Goal;
  /** One value per version, any order (sorted here by version number). */
  points: TrendPoint[];
  /** env → version, in promotion order; versions without a point are not marked. */
  serving: { env: string; version: string }[];
  /** The guard band (relative tolerance around prod's value), when prod serves a version with the metric. */
  band?: GuardBand;
}

/** Undefined when there is nothing to draw (no version has the metric). */
export function metricTrendChart(input: MetricTrendInput): ChartSpec | undefined {
  const points = [...input.points].filter((p) => Number.isFinite(p.value)).sort((a, b) => byVersion(a.version, b.version));
  if (points.length === 0) return undefined;
  const labels = points.map((p) => `v${p.version}`);
  const valueOf = new Map(points.map((p) => [p.version, p.value]));
  const served = input.serving.filter((s) => valueOf.has(s.version));
  const envs = input.serving.map((s) => s.env);
  const y = { field: 'value', type: 'quantitative', title: `${input.metric} (${input.goal === 'minimize' ? 'lower' : 'higher'} is better)`, scale: { zero: false } };
  const x = { field: 'label', type: 'ordinal', sort: labels, title: 'model version', axis: { labelAngle: 0, labelOverlap: 'parity' } };
  const band = input.band ? bandLimits(input.band) : undefined;
  const layers: Record<string, unknown>[] = [];
  if (input.band && band) {
    layers.push(
      { data: { values: [band] }, mark: { type: 'rect', color: OKABE_ITO.orange, opacity: 0.2 }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { data: { values: [{ value: input.band.value }] }, mark: { type: 'rule', color: OKABE_ITO.vermillion, strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { y: { field: 'value', type: 'quantitative' } } },
    );
  }
  layers.push({
    data: { values: points.map((p) => ({ label: `v${p.version}`, value: p.value })) },
    mark: { type: 'line', color: OKABE_ITO.blue, strokeWidth: 2, point: { filled: true, size: 36, color: OKABE_ITO.blue } },
    encoding: { x, y },
  });
  if (served.length > 0) {
    const marks = served.map((s) => ({ label: `v${s.version}`, value: valueOf.get(s.version)!, env: s.env }));
    layers.push(
      {
        data: { values: marks },
        mark: { type: 'point', filled: true, size: 170, stroke: 'white', strokeWidth: 1, opacity: 1 },
        encoding: {
          x, y,
          color: { field: 'env', type: 'nominal', title: 'Serving', scale: { domain: envs, range: ENV_COLOURS.slice(0, envs.length) } },
          shape: { field: 'env', type: 'nominal', title: 'Serving', scale: { domain: envs, range: ENV_SHAPES.slice(0, envs.length) } },
        },
      },
      {
        data: { values: labelsPerVersion(served, valueOf) },
        mark: { type: 'text', dy: -14, fontSize: 11, color: '#222222' },
        encoding: { x, y, text: { field: 'text' } },
      },
    );
  }
  return {
    kind: 'metric-trend',
    name: `${input.model}-${input.metric}`.replace(/[^A-Za-z0-9._-]+/g, '_'),
    alt: altText(input, points, served),
    vegaLite: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      title: { text: `${input.model}: ${input.metric} by version`, subtitle: subtitle(input) },
      layer: layers,
      config: CHART_CONFIG,
    },
  };
}

/** The relative tolerance band, as the guard computes it (plain difference around zero). */
export function bandLimits(b: GuardBand): { low: number; high: number } {
  const spread = b.value === 0 ? b.tolerance : Math.abs(b.value) * b.tolerance;
  return { low: b.value - spread, high: b.value + spread };
}

function subtitle(input: MetricTrendInput): string[] {
  if (!input.band) return ['No guard band: nothing with this metric serves production.'];
  const pct = `${Number((input.band.tolerance * 100).toFixed(2))}%`;
  return [`Shaded: the promotion guard's ±${pct} around ${input.band.env}`, `(v${input.band.version}, ${formatMetric(input.band.value)}, dashed line)`];
}

function labelsPerVersion(served: { env: string; version: string }[], valueOf: Map<string, number>): { label: string; value: number; text: string }[] {
  const byVersion = new Map<string, string[]>();
  for (const s of served) byVersion.set(s.version, [...(byVersion.get(s.version) ?? []), s.env]);
  return [...byVersion].map(([version, envs]) => ({ label: `v${version}`, value: valueOf.get(version)!, text: envs.join(', ') }));
}

function altText(input: MetricTrendInput, points: TrendPoint[], served: { env: string; version: string }[]): string {
  const values = points.length <= 8
    ? points.map((p) => `v${p.version} ${formatMetric(p.value)}`).join(', ')
    : `v${points[0].version} to v${points[points.length - 1].version}, from ${formatMetric(Math.min(...points.map((p) => p.value)))} to ${formatMetric(Math.max(...points.map((p) => p.value)))}`;
  const where = served.length > 0 ? ` Serving: ${served.map((s) => `${s.env} v${s.version}`).join(', ')}.` : '';
  const band = input.band ? ` Guard band ${formatMetric(bandLimits(input.band).low)}–${formatMetric(bandLimits(input.band).high)} around ${input.band.env}.` : '';
  return `Chart of ${input.metric} by version of ${input.model} (${input.goal === 'minimize' ? 'lower' : 'higher'} is better): ${values}.${where}${band}`;
}

/** Numeric versions in number order; anything else after them, by text. */
function byVersion(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  if (Number.isFinite(na)) return -1;
  if (Number.isFinite(nb)) return 1;
  return a.localeCompare(b);
}
