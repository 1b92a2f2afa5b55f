/** Figures as a rollout's card and messages write them: `0.4%`, `182 ms`, `—` for none. */

export function pctText(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return '—';
  const pct = fraction * 100;
  const digits = pct === 0 || pct >= 10 ? 0 : pct >= 1 ? 1 : 2;
  return `${Number(pct.toFixed(digits))}%`;
}

export function msText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return `${ms >= 100 ? Math.round(ms) : Number(ms.toFixed(1))} ms`;
}

/** `30 s`, `15 min`, `1 h 30 min`: a rollout's interval. */
export function intervalText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120 && s % 60 !== 0) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}
