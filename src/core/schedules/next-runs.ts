/**
 * When a schedule fires next, computed on the wall clock of its time zone, for the card preview.
 * Recurrences count from the moment of creation (Azure ML takes the creation time as the start
 * when none is given): minute and hour recurrences step in absolute time; day, week and month ones
 * step through calendar days at the chosen local times.
 */
import type { ScheduleSpec } from '../models';
import { parseCron } from './cron';
import { addDays, daysInMonth, instantOf, localTime, type LocalTime } from './zoned-time';

type Trigger = ScheduleSpec['trigger'];
type Recurrence = Extract<Trigger, { type: 'recurrence' }>;

const MINUTE = 60_000;
/** Longest search: a cron such as "0 0 29 2 mon" fires once in up to 28 years. */
const MAX_DAYS = 366 * 29;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export function weekdayIndex(name: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(name.trim().toLowerCase().slice(0, 3)));
}

/** The next `count` run times strictly after `from`, ascending. */
export function nextRuns(trigger: Trigger, zone: string, from: Date, count = 3): Date[] {
  return trigger.type === 'cron' ? cronRuns(trigger.expression, zone, from, count) : recurrenceRuns(trigger, zone, from, count);
}

interface DayPlan { times: { hour: number; minute: number }[]; includes(date: { year: number; month: number; day: number; weekday: number }, index: number): boolean }

/** Walks calendar days from `start` (day index 0), collecting instants after `from`. */
function walkDays(zone: string, start: LocalTime, from: Date, count: number, plan: DayPlan): Date[] {
  const out: Date[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < MAX_DAYS && out.length < count; i++) {
    const date = addDays(start, i);
    if (!plan.includes(date, i)) continue;
    for (const t of plan.times) {
      const at = instantOf(date.year, date.month, date.day, t.hour, t.minute, zone);
      if (at.getTime() <= from.getTime() || seen.has(at.getTime())) continue;
      seen.add(at.getTime());
      out.push(at);
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime()).slice(0, count);
}

function cronRuns(expression: string, zone: string, from: Date, count: number): Date[] {
  const cron = parseCron(expression);
  const times = cron.hours.values.flatMap((hour) => cron.minutes.values.map((minute) => ({ hour, minute })));
  return walkDays(zone, localTime(from, zone), from, count, {
    times,
    includes: (d) => cron.months.values.includes(d.month) && cron.daysOfMonth.values.includes(d.day) && cron.daysOfWeek.values.includes(d.weekday),
  });
}

/** Creation time rounded up to the next whole minute: the recurrence's start. */
function anchorOf(from: Date): Date {
  return new Date(Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE);
}

function recurrenceRuns(t: Recurrence, zone: string, from: Date, count: number): Date[] {
  const anchor = anchorOf(from);
  const interval = Math.max(1, Math.floor(t.interval));
  if (t.frequency === 'minute' || t.frequency === 'hour') {
    const step = interval * (t.frequency === 'minute' ? MINUTE : 60 * MINUTE);
    return Array.from({ length: count }, (_, k) => new Date(anchor.getTime() + k * step));
  }
  const local = localTime(anchor, zone);
  const hours = t.hours?.length ? t.hours : [local.hour];
  const minutes = t.minutes?.length ? t.minutes : [local.minute];
  const times = [...hours].sort((a, b) => a - b).flatMap((hour) => [...minutes].sort((a, b) => a - b).map((minute) => ({ hour, minute })));
  return walkDays(zone, local, new Date(anchor.getTime() - 1), count, { times, includes: dayRule(t, local, interval) });
}

function dayRule(t: Recurrence, local: LocalTime, interval: number): DayPlan['includes'] {
  if (t.frequency === 'day') return (_d, i) => i % interval === 0;
  if (t.frequency === 'week') {
    const days = new Set((t.weekDays?.length ? t.weekDays.map(weekdayIndex) : [local.weekday]));
    // Weeks start on Monday; the anchor's week is week 0.
    const mondayOffset = (local.weekday + 6) % 7;
    return (d, i) => days.has(d.weekday) && Math.floor((i + mondayOffset) / 7) % interval === 0;
  }
  // Monthly: the chosen days of the month (else the anchor's); months too short for a day skip it.
  const days = new Set(t.monthDays?.length ? t.monthDays : [local.day]);
  return (d) => {
    const months = (d.year - local.year) * 12 + (d.month - local.month);
    return months % interval === 0 && days.has(d.day) && d.day <= daysInMonth(d.year, d.month);
  };
}
