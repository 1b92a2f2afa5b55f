const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Look-back windows typed in commands: `24h`, `7d`, `90m`, `2w`, `1d12h`. A bare number is refused
 * (hours or days?). Returns null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!/^(\d{1,6}[mhdw])+$/.test(t)) return null;
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([mhdw])/g)) total += Number(n) * UNIT_MS[unit];
  return total > 0 ? total : null;
}
