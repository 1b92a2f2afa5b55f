/**
 * The chart `compare` and `model` carry (DESIGN 9.7): one metric by version — the one asked for,
 * else the guard's of production — with the serving versions marked and the guard band around prod.
 */
import { metricTrendChart } from '../charts/metric-trend';
import type { ChartSpec } from '../charts/types';
import { goalOf } from '../format/metrics';
import type { MetricsByRun, ModelVersionInfo } from '../models';
import { effectivePolicy } from '../policy/model-policy';
import type { BotSettings } from '../settings';
import { orderedEnvs, productionEnv, type Placement } from './placements';

export interface VersionChartInput {
  settings: BotSettings;
  model: string;
  /** The metric asked for (`--metric`); absent: the guard's of production, else the first one logged. */
  metric?: string;
  versions: ModelVersionInfo[];
  metrics: MetricsByRun;
  /** env → serving version (Azure first, fallbacks marked elsewhere). */
  placement: Placement;
}

export function versionChart(input: VersionChartInput): ChartSpec | undefined {
  const { settings, model, versions, metrics, placement } = input;
  const prod = productionEnv(settings);
  const prodEnv = settings.environments.find((e) => e.name === prod);
  const guard = prodEnv ? effectivePolicy(settings, model, prodEnv).guard : undefined;
  const valuesOf = (v: ModelVersionInfo): Record<string, number> => (v.jobName ? metrics[v.jobName] ?? {} : {});
  const logged = [...new Set(versions.flatMap((v) => Object.keys(valuesOf(v))))].sort();
  const metric = pick(input.metric, logged) ?? pick(guard?.metric, logged) ?? logged[0];
  if (metric === undefined) return undefined;
  const points = versions
    .filter((v, i) => versions.findIndex((w) => w.version === v.version) === i)
    .map((v) => ({ version: v.version, value: valuesOf(v)[metric] }))
    .filter((p): p is { version: string; value: number } => typeof p.value === 'number' && Number.isFinite(p.value));
  const serving = orderedEnvs(settings).filter((e) => placement.has(e)).map((env) => ({ env, version: placement.get(env)! }));
  const prodVersion = prod === undefined ? undefined : placement.get(prod);
  const prodPoint = points.find((p) => p.version === prodVersion);
  const sameMetric = guard !== undefined && guard.metric.toLowerCase() === metric.toLowerCase();
  return metricTrendChart({
    model, metric, goal: goalOf(metric, guard), points, serving,
    ...(sameMetric && prodPoint && prod ? { band: { env: prod, version: prodPoint.version, value: prodPoint.value, tolerance: guard.tolerance } } : {}),
  });
}

/** The logged metric matching `wanted` without regard to case. */
function pick(wanted: string | undefined, logged: string[]): string | undefined {
  return wanted === undefined ? undefined : logged.find((m) => m.toLowerCase() === wanted.toLowerCase());
}
