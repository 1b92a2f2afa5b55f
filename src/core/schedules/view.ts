/** Cards for schedules: what runs, when, in which zone, and the next run times. */
import { card, type ActionButton, type CardMessage, type Fact } from '../cards/views';
import type { ScheduleSpec } from '../models';
import { nextRuns, weekdayIndex } from './next-runs';
import { localTime } from './zoned-time';

const pad = (n: number): string => String(n).padStart(2, '0');
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Tue 2026-11-03 02:00 Europe/Amsterdam (01:00 UTC)`; UTC schedules show UTC only. */
export function formatRun(at: Date, zone: string): string {
  const l = localTime(at, zone);
  const local = `${SHORT_DAYS[l.weekday]} ${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
  if (zone === 'UTC' || zone === 'Etc/UTC') return `${local} UTC`;
  return `${local} ${zone} (${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC)`;
}

function times(t: Extract<ScheduleSpec['trigger'], { type: 'recurrence' }>): string {
  if (!t.hours?.length && !t.minutes?.length) return '';
  const hours = t.hours?.length ? t.hours : [0];
  const minutes = t.minutes?.length ? t.minutes : [0];
  return ` at ${hours.flatMap((h) => minutes.map((m) => `${pad(h)}:${pad(m)}`)).join(', ')}`;
}

/** `every 2 weeks on Mon, Wed at 06:00`, `cron 0 * * * *`. */
export function describeTrigger(spec: ScheduleSpec): string {
  const t = spec.trigger;
  if (t.type === 'cron') return `cron ${t.expression}`;
  const unit = t.interval === 1 ? `every ${t.frequency}` : `every ${t.interval} ${t.frequency}s`;
  const days = t.weekDays?.length ? ` on ${t.weekDays.map((d) => SHORT_DAYS[weekdayIndex(d)] ?? d).join(', ')}`
    : t.monthDays?.length ? ` on day ${t.monthDays.join(', ')}${t.monthDays.some((d) => d > 28) ? ' (skipped in months without it)' : ''}` : '';
  return `${unit}${days}${times(t)}`;
}

export function describeAction(spec: ScheduleSpec): string {
  const a = spec.action;
  if (a.type === 'create_pipeline_job') return `pipeline job ${a.job}`;
  // A schedule made outside the bot may not say which endpoint it invokes: say so rather than print a gap.
  return `batch endpoint ${a.endpoint || '(not named by the schedule)'}${a.input ? ` with ${a.input}` : ''}`;
}

function facts(spec: ScheduleSpec, env: string): Fact[] {
  return [
    { title: 'Environment', value: env },
    { title: 'Runs', value: describeAction(spec) },
    { title: 'When', value: describeTrigger(spec) },
    { title: 'Time zone', value: spec.timeZone },
    { title: 'State', value: spec.enabled ? 'enabled' : 'disabled' },
  ];
}

/** The next three runs as card lines; a schedule read back with a zone Intl lacks says so instead. */
export function previewRuns(spec: ScheduleSpec, now: Date): string[] {
  try {
    return nextRuns(spec.trigger, spec.timeZone, now, 3).map((r) => formatRun(r, spec.timeZone));
  } catch {
    return [`Next runs cannot be previewed (time zone '${spec.timeZone}' or trigger not understood).`];
  }
}

/** A schedule card; a disabled schedule previews no runs (it will not fire). */
export function scheduleCard(spec: ScheduleSpec, env: string, now: Date, title: string, subtitle: string, actions: ActionButton[] = []): CardMessage {
  const runs = spec.enabled ? previewRuns(spec, now) : [];
  return card('schedule', { title, subtitle, facts: facts(spec, env), nextRuns: runs, actions });
}

export function schedulesCard(specs: ScheduleSpec[], env: string): CardMessage {
  const rows = [...specs].sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({
    name: s.name,
    trigger: `${describeTrigger(s)} (${s.timeZone})`,
    action: describeAction(s),
    enabled: s.enabled ? 'yes' : 'no',
  }));
  const subtitle = rows.length === 0 ? 'No schedules yet. Create one with `schedule create`.' : `${rows.length} schedule${rows.length === 1 ? '' : 's'}`;
  return card('schedules', { title: `Schedules in ${env}`, subtitle, rows });
}
