/**
 * Calendar freeze windows (DESIGN §9.5): a window starts at each time its cron names on the wall
 * clock of its time zone, and lasts `durationMs` of elapsed time. So "Friday 18:00 Europe/Paris for
 * 62h" starts at 18:00 local whatever the offset, and a weekend that crosses a DST change still
 * ends 62 real hours later (local Monday 07:00 or 09:00). Windows that overlap or touch chain into
 * one freeze.
 */
import { nextRuns } from '../schedules/next-runs';
import type { FreezeWindow } from '../settings';

export interface WindowSpan { start: Date; end: Date }

/** Bounds on the walk, so a minute-by-minute cron with a long duration stays cheap. */
const BATCH = 64;
const MAX_BATCHES = 64;

const trigger = (w: FreezeWindow) => ({ type: 'cron' as const, expression: w.cron });

/** The occurrence of `w` in force at `now` (the latest start ≤ now whose span covers it), chained with later overlapping ones. */
export function windowAt(w: FreezeWindow, now: Date): WindowSpan | undefined {
  const t = now.getTime();
  let from = new Date(t - w.durationMs);
  let last: Date | undefined;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const runs = nextRuns(trigger(w), w.tz, from, BATCH);
    const upTo = runs.filter((r) => r.getTime() <= t);
    if (upTo.length > 0) last = upTo[upTo.length - 1];
    if (upTo.length < runs.length || runs.length < BATCH) break;
    from = runs[runs.length - 1];
  }
  // A start exactly `durationMs` ago has just ended: windows are [start, end).
  if (!last || last.getTime() + w.durationMs <= t) return undefined;
  return { start: last, end: chainEnd(w, last) };
}

/** The next occurrence starting after `now` (chained), for the `freezes` list. */
export function nextWindow(w: FreezeWindow, now: Date): WindowSpan | undefined {
  const [start] = nextRuns(trigger(w), w.tz, now, 1);
  return start ? { start, end: chainEnd(w, start) } : undefined;
}

/** The end of the span opened at `start`, extended by every later start that falls inside it. */
function chainEnd(w: FreezeWindow, start: Date): Date {
  let end = start.getTime() + w.durationMs;
  let from = start;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const runs = nextRuns(trigger(w), w.tz, from, BATCH);
    let taken = 0;
    // Starts are ascending: each one inside the span may push its end further.
    for (const r of runs) {
      if (r.getTime() > end) break;
      end = Math.max(end, r.getTime() + w.durationMs);
      taken++;
    }
    if (taken === 0 || taken < runs.length || runs.length < BATCH) break;
    from = runs[runs.length - 1];
  }
  return new Date(end);
}
