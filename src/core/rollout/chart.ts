/**
 * The rollout card's chart (DESIGN 9.7): canary against baseline at each check the rollout made —
 * error rate and p95 latency — with its limits. Undefined before the first check with figures.
 */
import { rolloutChart } from '../charts/rollout';
import type { ChartSpec } from '../charts/types';
import type { Rollout } from './types';

export function rolloutChartOf(r: Rollout): ChartSpec | undefined {
  const seen = new Map<number, number>();
  const steps = r.checks.map((c) => {
    const n = (seen.get(c.percent) ?? 0) + 1;
    seen.set(c.percent, n);
    return {
      // A step checked more than once (no figures the first time) gets one point per check.
      step: n === 1 ? `${c.percent}%` : `${c.percent}% (${n})`,
      canary: { errorRate: c.canary.errorRate, latencyP95Ms: c.canary.latencyP95Ms },
      baseline: { errorRate: c.baseline.errorRate, latencyP95Ms: c.baseline.latencyP95Ms },
    };
  });
  return rolloutChart({
    model: `${r.model} v${r.version}`, env: r.env, canary: r.canary, baseline: r.baseline, steps,
    maxErrorRate: r.thresholds.maxErrorRate, maxLatencyIncrease: r.thresholds.maxLatencyIncrease,
  });
}
