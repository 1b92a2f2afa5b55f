/** Number formatting shared by guard reasons and cards: short, stable, locale-free. */
export function fmtNumber(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1000 || abs < 0.001) return n.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(4)));
}

/** A fraction as a percentage with one decimal: 0.0234 → "2.3%". */
export function fmtPercent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`;
}
