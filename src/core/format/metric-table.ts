import { bestOf, type Goal } from './metrics';
import { formatDelta, formatMetric } from './numbers';

export interface MetricRow {
  label: string;
  metrics: Record<string, number> | undefined;
  isBaseline?: boolean;
}

export interface MetricTable {
  /** Headers of `cells` (the version column is implicit), so `columns.length === cells.length`. */
  columns: string[];
  rows: { version: string; cells: string[] }[];
}

/**
 * Metrics side by side: one column per metric with the best value(s) marked ★, and, when a
 * baseline row is given, a `Δ <metric>` column after each metric with the change against it.
 */
export function metricTable(rows: MetricRow[], metrics: string[], goals: Record<string, Goal>): MetricTable {
  const baseline = rows.find((r) => r.isBaseline)?.metrics;
  const hasBaseline = rows.some((r) => r.isBaseline);
  const best = Object.fromEntries(metrics.map((m) => [m, bestOf(rows.map((r) => r.metrics?.[m]), goals[m] ?? 'maximize')]));
  const columns: string[] = [];
  for (const m of metrics) {
    columns.push(m);
    if (hasBaseline) columns.push(`Δ ${m}`);
  }
  return {
    columns,
    rows: rows.map((r) => {
      const cells: string[] = [];
      for (const m of metrics) {
        const value = r.metrics?.[m];
        const star = value !== undefined && best[m] !== undefined && value === best[m] && rows.length > 1 ? ' ★' : '';
        cells.push(`${formatMetric(value)}${star}`);
        if (hasBaseline) cells.push(deltaCell(value, baseline?.[m], r.isBaseline === true));
      }
      return { version: r.label, cells };
    }),
  };
}

function deltaCell(value: number | undefined, base: number | undefined, isBaseline: boolean): string {
  if (isBaseline) return 'baseline';
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base)) return '—';
  return formatDelta(value, base);
}
