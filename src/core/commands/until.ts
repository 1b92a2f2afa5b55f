/** `--until` times: ISO 8601 with or without a zone (UTC when none), a date alone, or `HH:MM` (the next one, UTC). */
import { BotError } from '../errors';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

export function parseUntil(text: string, now: Date): Date {
  const t = text.trim();
  const clock = CLOCK.exec(t);
  if (clock) {
    const [h, m] = [Number(clock[1]), Number(clock[2])];
    if (h > 23 || m > 59) throw bad(t);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m);
    return new Date(today > now.getTime() ? today : today + 86_400_000);
  }
  const iso = ISO.exec(t);
  if (!iso) throw bad(t);
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = iso;
  const zoned = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z'}`;
  const at = new Date(zoned);
  // Date accepts 2026-02-30 by rolling over; a date that does not round-trip is a typo.
  if (Number.isNaN(at.getTime()) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) throw bad(t);
  return at;
}

function bad(t: string): BotError {
  return new BotError('usage', `--until '${t.slice(0, 40)}' is not a time I can read.`, {
    remedy: 'Write 2026-12-28T08:00Z, "2026-12-28 08:00" (UTC), 2026-12-28T09:00+01:00 or 08:00 (the next 08:00 UTC).',
  });
}
