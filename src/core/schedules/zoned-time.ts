/**
 * Wall-clock time in an IANA zone, computed with Intl (no time-zone library). Local times that do
 * not exist (the hour skipped when clocks go forward) resolve to the same distance past the gap;
 * times that occur twice (clocks going back) resolve to the first occurrence — the "compatible"
 * rule most schedulers follow.
 */
import { BotError } from '../errors';

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The canonical IANA name (`europe/amsterdam` → `Europe/Amsterdam`), or a `usage` error. */
export function canonicalZone(zone: string): string {
  const z = zone.trim();
  try {
    if (z === '') throw new RangeError('empty');
    return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
  } catch {
    throw new BotError('usage', `Unknown time zone '${zone.slice(0, 60)}'.`, {
      remedy: 'Use an IANA time zone name such as Europe/Amsterdam, America/New_York or UTC.',
      details: { timeZone: zone.slice(0, 60) },
    });
  }
}

/** Offset of `zone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function offsetAt(ms: number, zone: string): number {
  const p = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export function localTime(instant: Date, zone: string): LocalTime {
  const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), zone));
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), weekday: shifted.getUTCDay(),
  };
}

/** The instant at which the wall clock in `zone` shows the given local time. */
export function instantOf(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset can only be one of the two in force half a day either side of the wall time.
  const before = offsetAt(wall - 43_200_000, zone);
  const after = offsetAt(wall + 43_200_000, zone);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((c) => wall - offsetAt(c, zone) === c);
  // Clocks going back: two readings, the earlier wins. Clocks going forward: none, so keep the
  // distance past the gap's start, read with the offset in force before it.
  return new Date(valid.length > 0 ? Math.min(...valid) : wall - before);
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date `n` days after the given one (`n` may be negative). */
export function addDays(date: { year: number; month: number; day: number }, n: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}
