/**
 * Five-field NCrontab expressions (`minute hour day-of-month month day-of-week`), the form Azure ML
 * cron triggers take. Fields accept `*`, numbers, names (jan–dec, sun–sat), ranges, steps and
 * lists. A bad field is reported by name, so the user knows which part to fix.
 */
import { BotError } from '../errors';

export interface CronField {
  /** Allowed values, ascending. */
  values: number[];
  /** The field was `*` (or `*` with step 1): it does not restrict. */
  any: boolean;
}

export interface CronExpression {
  text: string;
  minutes: CronField;
  hours: CronField;
  daysOfMonth: CronField;
  months: CronField;
  /** 0 = Sunday … 6 = Saturday (7 is accepted for Sunday). */
  daysOfWeek: CronField;
}

interface FieldDef { key: keyof Omit<CronExpression, 'text'>; label: string; min: number; max: number; names?: string[] }

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: FieldDef[] = [
  { key: 'minutes', label: 'minute', min: 0, max: 59 },
  { key: 'hours', label: 'hour', min: 0, max: 23 },
  { key: 'daysOfMonth', label: 'day of month', min: 1, max: 31 },
  { key: 'months', label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { key: 'daysOfWeek', label: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

const CRON_REMEDY = 'Write five fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * mon-fri".';

function fieldError(def: FieldDef, text: string, why: string): BotError {
  const names = def.names ? ` or ${def.names[0]}–${def.names[def.names.length - 1]}` : '';
  return new BotError('usage', `Cron ${def.label} field '${text}' is invalid: ${why} (allowed ${def.min}–${def.max}${names}).`, {
    remedy: CRON_REMEDY, details: { field: def.label, value: text },
  });
}

function value(def: FieldDef, token: string, whole: string): number {
  const lower = token.toLowerCase();
  const named = def.names?.indexOf(lower.slice(0, 3)) ?? -1;
  if (def.names && named >= 0 && lower.length === 3) return def.key === 'months' ? named + 1 : named;
  if (!/^\d+$/.test(token)) throw fieldError(def, whole, `'${token}' is not a number`);
  const n = Number(token);
  if (n < def.min || n > def.max) throw fieldError(def, whole, `${n} is out of range`);
  return n;
}

function parsePart(def: FieldDef, part: string, whole: string, into: Set<number>): boolean {
  const [range, stepText, extra] = part.split('/');
  if (extra !== undefined || range === '') throw fieldError(def, whole, `'${part}' is malformed`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw fieldError(def, whole, `step '${stepText}' must be a whole number of at least 1`);
    step = Number(stepText);
  }
  let lo: number;
  let hi: number;
  if (range === '*') {
    lo = def.min;
    hi = def.key === 'daysOfWeek' ? 6 : def.max;
  } else if (range.includes('-')) {
    const [a, b, more] = range.split('-');
    if (more !== undefined || a === '' || b === '') throw fieldError(def, whole, `'${range}' is not a range`);
    lo = value(def, a, whole);
    hi = value(def, b, whole);
    if (lo > hi) throw fieldError(def, whole, `range ${a}-${b} runs backwards`);
  } else {
    lo = value(def, range, whole);
    // `5/15` means from 5 to the end of the field in steps of 15.
    hi = stepText !== undefined ? def.max : lo;
  }
  for (let n = lo; n <= hi; n += step) into.add(def.key === 'daysOfWeek' && n === 7 ? 0 : n);
  return range === '*' && step === 1;
}

function parseField(def: FieldDef, text: string): CronField {
  const set = new Set<number>();
  let any = false;
  for (const part of text.split(',')) {
    if (parsePart(def, part, text, set)) any = true;
  }
  return { values: [...set].sort((a, b) => a - b), any };
}

/** Parses a cron expression or throws a `usage` BotError naming the wrong field. */
export function parseCron(expression: string): CronExpression {
  const text = expression.trim().replace(/\s+/g, ' ');
  const parts = text === '' ? [] : text.split(' ');
  if (parts.length !== 5) {
    throw new BotError('usage', `A cron expression has 5 fields; '${expression.slice(0, 80)}' has ${parts.length}.`, {
      remedy: CRON_REMEDY, details: { fields: parts.length },
    });
  }
  const out = { text } as CronExpression;
  FIELDS.forEach((def, i) => { out[def.key] = parseField(def, parts[i]); });
  return out;
}

/**
 * NCrontab requires both day fields to match (unlike Vixie cron, which accepts either), so a
 * restricted day of month and day of week narrow each other.
 */
export function cronMatchesDay(cron: CronExpression, day: number, month: number, weekday: number): boolean {
  return cron.months.values.includes(month) && cron.daysOfMonth.values.includes(day) && cron.daysOfWeek.values.includes(weekday);
}
