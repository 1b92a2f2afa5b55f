/**
 * The rollout card's chart: canary against baseline at each traffic step — error rate (5xx share)
 * and latency p95 — with the limits the rollout checks before going on (DESIGN 9.4).
 */
import { formatMetric } from '../format/numbers';
import { CHART_CONFIG, OKABE_ITO } from './palette';
import { CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from './types';

export interface DeploymentFigures { errorRate: number | null; latencyP95Ms: number | null }
export interface RolloutStepFigures {
  /** How the step is named on the axis: `10%`. */
  step: string;
  canary: DeploymentFigures;
  baseline: DeploymentFigures;
}

export interface RolloutChartInput {
  model: string;
  env: string;
  canary: string;
  baseline: string;
  steps: RolloutStepFigures[];
  /** The rollout's limits: canary error rate ≤ maxErrorRate, canary p95 ≤ baseline p95 × (1 + maxLatencyIncrease). */
  maxErrorRate: number;
  maxLatencyIncrease: number;
}

const ROLES = ['canary', 'baseline'] as const;

/** Undefined before the first step has figures. */
export function rolloutChart(input: RolloutChartInput): ChartSpec | undefined {
  const rows = input.steps.flatMap((s, i) => ROLES.map((role) => ({
    step: s.step, order: i, role: `${role} (${role === 'canary' ? input.canary : input.baseline})`,
    errorPct: pct(s[role].errorRate), p95: s[role].latencyP95Ms,
  })));
  if (!rows.some((r) => r.errorPct !== null || r.p95 !== null)) return undefined;
  const steps = input.steps.map((s) => s.step);
  const roleNames = [...new Set(rows.map((r) => r.role))];
  const x = { field: 'step', type: 'ordinal', sort: steps, title: 'traffic step (canary share)', axis: { labelAngle: 0 } };
  const colour = { field: 'role', type: 'nominal', title: 'Deployment', scale: { domain: roleNames, range: [OKABE_ITO.vermillion, OKABE_ITO.blue] } };
  const dash = { field: 'role', type: 'nominal', title: 'Deployment', scale: { domain: roleNames, range: [[1, 0], [6, 4]] } };
  const panel = (field: 'errorPct' | 'p95', title: string, limit?: Record<string, unknown>): Record<string, unknown> => ({
    width: Math.round(CHART_WIDTH / 2) - 30,
    height: CHART_HEIGHT,
    layer: [
      {
        data: { values: rows.filter((r) => r[field] !== null) },
        mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 50 } },
        encoding: { x, y: { field, type: 'quantitative', title }, color: colour, strokeDash: dash, shape: { field: 'role', type: 'nominal', title: 'Deployment' } },
      },
      ...(limit ? [limit] : []),
    ],
  });
  const errorLimit = {
    data: { values: [{ limit: input.maxErrorRate * 100 }] },
    mark: { type: 'rule', color: '#444444', strokeDash: [2, 3], strokeWidth: 1.5 },
    encoding: { y: { field: 'limit', type: 'quantitative' } },
  };
  return {
    kind: 'rollout',
    name: `${input.model}-${input.env}-rollout`.replace(/[^A-Za-z0-9._-]+/g, '_'),
    alt: altText(input),
    vegaLite: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: {
        text: `Rollout of ${input.model} in ${input.env}: canary vs baseline`,
        subtitle: `Limits: canary errors ≤ ${formatMetric(input.maxErrorRate * 100)}% (dotted), canary p95 ≤ baseline + ${formatMetric(input.maxLatencyIncrease * 100)}%`,
      },
      hconcat: [panel('errorPct', 'errors (5xx, % of requests)', errorLimit), panel('p95', 'p95 latency (ms)')],
      resolve: { scale: { color: 'shared' } },
      config: CHART_CONFIG,
    },
  };
}

function pct(rate: number | null): number | null {
  return rate === null || !Number.isFinite(rate) ? null : rate * 100;
}

function altText(input: RolloutChartInput): string {
  const fig = (f: DeploymentFigures): string =>
    `${f.errorRate === null ? 'no error figure' : `${formatMetric(f.errorRate * 100)}% errors`}, ${f.latencyP95Ms === null ? 'no p95' : `p95 ${formatMetric(f.latencyP95Ms)} ms`}`;
  const steps = input.steps.map((s) => `at ${s.step}: canary ${fig(s.canary)}; baseline ${fig(s.baseline)}`).join('. ');
  return `Chart of the rollout of ${input.model} in ${input.env}, canary ${input.canary} vs baseline ${input.baseline}. ${steps}.`;
}
