import type { GuardSettings } from '../settings';
import { formatMetric } from './numbers';

export type Goal = 'minimize' | 'maximize';

// Error-like metric names: lower is better. Everything else (accuracy, r2, auc, f1…) is higher-is-better.
const LOWER_IS_BETTER = new Set(['rmse', 'mse', 'mae', 'mape', 'smape', 'rmsle', 'loss', 'error', 'err', 'deviance', 'wer', 'cer', 'latency']);

function lowerIsBetter(metric: string): boolean {
  const words = metric.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.some((w) => LOWER_IS_BETTER.has(w) || w.endsWith('loss') || w.endsWith('error'));
}

/** The guard's goal when the metric is the guard metric, else a guess from the name. */
export function goalOf(metric: string, guard?: GuardSettings): Goal {
  if (guard && guard.metric.toLowerCase() === metric.toLowerCase()) return guard.goal;
  return lowerIsBetter(metric) ? 'minimize' : 'maximize';
}

/** The best value of a metric among several (ties all count as best). */
export function bestOf(values: (number | undefined)[], goal: Goal): number | undefined {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return undefined;
  return goal === 'minimize' ? Math.min(...finite) : Math.max(...finite);
}

/** `rmse 0.412 · mae 0.301` with the named metric first, the rest alphabetical. */
export function metricsLine(metrics: Record<string, number> | undefined, first?: string): string {
  if (!metrics || Object.keys(metrics).length === 0) return '—';
  return orderMetrics(Object.keys(metrics), first).map((k) => `${k} ${formatMetric(metrics[k])}`).join(' · ');
}

export function orderMetrics(names: Iterable<string>, first?: string): string[] {
  const sorted = [...new Set(names)].sort((a, b) => a.localeCompare(b));
  if (first === undefined) return sorted;
  const i = sorted.findIndex((n) => n.toLowerCase() === first.toLowerCase());
  return i <= 0 ? sorted : [sorted[i], ...sorted.slice(0, i), ...sorted.slice(i + 1)];
}
