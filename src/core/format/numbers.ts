/**
 * Metric values for cards: 4 significant digits below 1000, one decimal above, exponent for the
 * very small and very large, so columns stay narrow and comparable.
 */
export function formatMetric(n: number | undefined): string {
  if (n === undefined) return '—';
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const abs = Math.abs(n);
  if (abs === 0) return '0';
  if (abs >= 1e7 || abs < 1e-4) return trimExponent(n.toExponential(2));
  if (abs >= 1000) return trimZeros(n.toFixed(1));
  return trimZeros(Number(n.toPrecision(4)).toFixed(Math.max(0, 3 - Math.floor(Math.log10(abs)))));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function trimExponent(s: string): string {
  const [m, e] = s.split('e');
  return `${trimZeros(m)}e${e.replace('+', '')}`;
}

/** Signed difference and relative change: `+0.012 (+2.9%)`; no percentage against zero. */
export function formatDelta(value: number, baseline: number): string {
  const diff = value - baseline;
  if (diff === 0) return '±0';
  const sign = diff > 0 ? '+' : '-';
  const abs = `${sign}${formatMetric(Math.abs(diff))}`;
  if (baseline === 0) return abs;
  const pct = (diff / Math.abs(baseline)) * 100;
  return `${abs} (${sign}${formatPercentNumber(Math.abs(pct))}%)`;
}

function formatPercentNumber(p: number): string {
  if (p >= 100) return p.toFixed(0);
  return trimZeros(p.toFixed(1));
}

/** `1 version`, `3 versions`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
