const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const WHOLE = /^(\d+[wdhms])+$/;
const PART = /(\d+)([wdhms])/g;

/**
 * Parses `72h`, `30m`, `7d`, `1h30m`, `2w` (and `0`) into milliseconds; `null` when the text is not
 * a duration. A bare number other than 0 is refused: `24` could mean hours or seconds.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '0') return 0;
  if (!WHOLE.test(t)) return null;
  let total = 0;
  for (const [, n, unit] of t.matchAll(PART)) total += Number(n) * UNIT_MS[unit];
  return total;
}

/** The inverse, for messages: 90 minutes → `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's']) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_MS[unit];
  }
  return out || `${ms}ms`;
}
