/** Chart specs for tests and the bench: what `compare`, `model` and a rollout card draw. */
import { metricTrendChart, rolloutChart } from '../../src/core/charts';
import type { ChartSpec } from '../../src/core/charts/types';

/** Thirty versions of rmse, prod on v24, preprod on v28, dev on the newest. */
export function trendSample(count = 30): ChartSpec {
  const points = Array.from({ length: count }, (_, i) => ({ version: String(i + 1), value: Number((0.62 - i * 0.004 + Math.sin(i / 2.5) * 0.012).toFixed(4)) }));
  const at = (v: number): number => points[Math.min(v, count) - 1].value;
  const prod = Math.max(1, count - 6);
  return metricTrendChart({
    model: 'taxi-model', metric: 'rmse', goal: 'minimize', points,
    serving: [{ env: 'dev', version: String(count) }, { env: 'preprod', version: String(Math.max(1, count - 2)) }, { env: 'prod', version: String(prod) }],
    band: { env: 'prod', version: String(prod), value: at(prod), tolerance: 0.02 },
  })!;
}

/** Two versions, nothing in prod: no band. */
export function smallTrendSample(): ChartSpec {
  return metricTrendChart({
    model: 'taxi-fare-classifier', metric: 'auc', goal: 'maximize',
    points: [{ version: '1', value: 0.81 }, { version: '2', value: 0.84 }],
    serving: [{ env: 'dev', version: '2' }],
  })!;
}

export function rolloutSample(): ChartSpec {
  return rolloutChart({
    model: 'taxi-model', env: 'prod', canary: 'green', baseline: 'blue', maxErrorRate: 0.01, maxLatencyIncrease: 0.25,
    steps: [
      { step: '10%', canary: { errorRate: 0.002, latencyP95Ms: 118 }, baseline: { errorRate: 0.003, latencyP95Ms: 110 } },
      { step: '50%', canary: { errorRate: 0.004, latencyP95Ms: 125 }, baseline: { errorRate: 0.003, latencyP95Ms: 112 } },
      { step: '100%', canary: { errorRate: 0.0125, latencyP95Ms: 131 }, baseline: { errorRate: 0.0035, latencyP95Ms: 111 } },
    ],
  })!;
}
