/**
 * Turns what the user typed for `schedule create` into a ScheduleSpec, or a `usage` error that
 * says exactly which option is wrong and how to fix it. Nothing here talks to Azure.
 */
import { clip, nearest } from '../commands/suggest';
import { BotError } from '../errors';
import type { ScheduleSpec } from '../models';
import { parseCron } from './cron';
import { nextRuns, weekdayIndex } from './next-runs';
import { canonicalZone, localTime } from './zoned-time';

export interface ScheduleRequest {
  name: string;
  endpoint?: string;
  pipeline?: string;
  every?: string;
  interval?: string;
  at?: string;
  on?: string;
  day?: string;
  cron?: string;
  tz?: string;
  input?: string;
}

type Frequency = Extract<ScheduleSpec['trigger'], { type: 'recurrence' }>['frequency'];
const FREQUENCIES: readonly Frequency[] = ['minute', 'hour', 'day', 'week', 'month'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,254}$/;
const MAX_INTERVAL = 1000;

function usage(message: string, remedy: string, details: Record<string, unknown> = {}): BotError {
  return new BotError('usage', message, { remedy, details });
}

export function checkScheduleName(name: string): void {
  if (!NAME.test(name)) {
    throw usage(`'${clip(name)}' is not a valid schedule name.`, 'Start with a letter; use letters, digits, - and _ only.', { name: clip(name) });
  }
}

function parseInterval(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw usage(`--interval must be a whole number of at least 1 (got '${clip(text)}').`, 'For example --interval 2 for every other unit.', { interval: clip(text) });
  }
  const n = Number(text);
  if (n > MAX_INTERVAL) throw usage(`--interval ${n} is too large (at most ${MAX_INTERVAL}).`, 'Use a larger unit with --every instead.');
  return n;
}

function parseAt(text: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw usage(`--at takes a time of day as HH:MM (got '${clip(text)}').`, 'For example --at 02:30 or --at 18:00.', { at: clip(text) });
  }
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

function parseDays(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',').map((d) => d.trim()).filter((d) => d !== '')) {
    const i = raw.length >= 2 ? weekdayIndex(raw) : -1;
    if (i < 0 || !DAY_NAMES[i].toLowerCase().startsWith(raw.toLowerCase())) {
      throw usage(`'${clip(raw)}' in --on is not a day of the week.`, 'List days such as --on mon,wed,fri.', { on: clip(text) });
    }
    if (!out.includes(DAY_NAMES[i])) out.push(DAY_NAMES[i]);
  }
  if (out.length === 0) throw usage('--on needs at least one day.', 'List days such as --on mon,wed,fri.');
  return out;
}

function parseMonthDay(text: string): number {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t) || Number(t) < 1 || Number(t) > 31) {
    throw usage(`--day takes a day of the month from 1 to 31 (got '${clip(text)}').`, 'For example --every month --day 1 --at 06:00.', { day: clip(text) });
  }
  return Number(t);
}

function trigger(req: ScheduleRequest, today: number): ScheduleSpec['trigger'] {
  if (req.every !== undefined && req.cron !== undefined) throw usage('Give either --every or --cron, not both.', 'Use --every for a simple recurrence, --cron for anything else.');
  if (req.cron !== undefined) {
    for (const [flag, v] of [['--interval', req.interval], ['--at', req.at], ['--on', req.on], ['--day', req.day]] as const) {
      if (v !== undefined) throw usage(`${flag} goes with --every, not with --cron.`, 'Put the times into the cron expression instead.');
    }
    return { type: 'cron', expression: parseCron(req.cron).text };
  }
  if (req.every === undefined) {
    throw usage('Say when it runs: --every <unit> or --cron "<expr>".', 'For example --every day --at 02:00, or --cron "0 2 * * *".');
  }
  const frequency = FREQUENCIES.find((f) => f === req.every!.toLowerCase());
  if (!frequency) {
    const hint = nearest(req.every, FREQUENCIES);
    throw usage(`'${clip(req.every)}' is not a unit for --every.${hint ? ` Did you mean ${hint}?` : ''}`, `Use one of: ${FREQUENCIES.join(', ')}.`);
  }
  const interval = parseInterval(req.interval);
  const spec: Extract<ScheduleSpec['trigger'], { type: 'recurrence' }> = { type: 'recurrence', frequency, interval };
  if (req.at !== undefined) {
    if (frequency === 'minute' || frequency === 'hour') {
      throw usage(`--at needs --every day, week or month (a ${frequency}ly schedule has no time of day).`, 'Drop --at, or use --cron for minute-level patterns.');
    }
    const at = parseAt(req.at);
    spec.hours = [at.hour];
    spec.minutes = [at.minute];
  }
  if (req.on !== undefined) {
    if (frequency !== 'week') throw usage('--on works only with --every week.', 'For example --every week --on mon,thu --at 06:00.');
    spec.weekDays = parseDays(req.on);
  }
  if (req.day !== undefined && frequency !== 'month') throw usage('--day works only with --every month.', 'For example --every month --day 1 --at 06:00.');
  // A monthly schedule always names its day, so the card says which one (default: today's, in its zone).
  if (frequency === 'month') spec.monthDays = [req.day !== undefined ? parseMonthDay(req.day) : today];
  return spec;
}

function action(req: ScheduleRequest): ScheduleSpec['action'] {
  if (req.endpoint !== undefined && req.pipeline !== undefined) throw usage('Give either --endpoint or --pipeline, not both.', 'A schedule runs one batch endpoint or one pipeline job.');
  if (req.pipeline !== undefined) {
    if (req.input !== undefined) throw usage('--input goes with --endpoint, not --pipeline.', 'The pipeline job brings its own inputs.');
    return { type: 'create_pipeline_job', job: req.pipeline };
  }
  if (req.endpoint === undefined) throw usage('Say what it runs: --endpoint <batch-endpoint> or --pipeline <job>.', 'For example --endpoint taxi-batch.');
  if (req.input !== undefined && !/^(https:\/\/|azureml:\/\/)\S+$/i.test(req.input)) {
    throw usage(`--input must be an https:// or azureml:// URI (got '${clip(req.input)}').`, 'For example --input azureml://datastores/workspaceblobstore/paths/taxi/.');
  }
  if (req.input !== undefined && /[?&](sig|sv|se|sp)=/i.test(req.input)) {
    // A SAS token would end up on a channel card and in the append-only audit log.
    throw usage('--input looks like a URL with a SAS token; it would be shown in the channel and kept in the audit log.', 'Register the storage as a datastore and use --input azureml://datastores/<datastore>/paths/<path> instead (the datastore holds the credential).');
  }
  return { type: 'invoke_batch_endpoint', endpoint: req.endpoint, ...(req.input !== undefined ? { input: req.input } : {}) };
}

/** The validated schedule; `now` is only used to check that a cron ever fires. */
export function buildScheduleSpec(req: ScheduleRequest, now: Date): ScheduleSpec {
  checkScheduleName(req.name);
  const timeZone = canonicalZone(req.tz ?? 'UTC');
  const spec: ScheduleSpec = { name: req.name, enabled: true, trigger: trigger(req, localTime(now, timeZone).day), timeZone, action: action(req) };
  if (spec.trigger.type === 'cron' && nextRuns(spec.trigger, timeZone, now, 1).length === 0) {
    throw usage(`Cron '${spec.trigger.expression}' never fires (no day matches both day fields).`, 'Check the day-of-month, month and day-of-week fields.');
  }
  return spec;
}

/** An endpoint the workspace does not have: lists the ones it does. */
export function checkEndpoint(endpoint: string, known: string[], env: string): void {
  if (known.some((e) => e === endpoint)) return;
  const hint = nearest(endpoint, known);
  const list = known.length === 0 ? 'It has no batch endpoints.' : `Batch endpoints: ${known.join(', ')}.`;
  throw new BotError('usage', `No batch endpoint '${clip(endpoint)}' in ${env}. ${list}`, {
    remedy: hint ? `Did you mean \`${hint}\`?` : 'Create the batch endpoint in Azure ML first, or pick one from the list.',
    details: { endpoint: clip(endpoint), env, valid: known },
  });
}

/** The job name a `--pipeline` reference names: a plain name, or the last segment of a job resource id. */
export function pipelineJobName(job: string): string {
  return job.startsWith('/') ? job.replace(/\/+$/, '').split('/').pop() ?? job : job;
}

/**
 * A `--pipeline` reference must name a pipeline job of the workspace: the schedule copies that job
 * on every run, so a missing or non-pipeline job would only fail when the first run is due.
 */
export function checkPipelineJob(job: string, type: string | null, pipelines: string[], env: string): void {
  if (type !== null && type.toLowerCase() === 'pipeline') return;
  if (type !== null) {
    throw new BotError('usage', `'${clip(job)}' in ${env} is a ${type} job, not a pipeline job.`, {
      remedy: 'A scheduled job copies a pipeline job: name one (or use --endpoint for a batch endpoint).',
      details: { job: clip(job), env, jobType: type },
    });
  }
  const hint = nearest(job, pipelines);
  const list = pipelines.length === 0 ? 'It has no pipeline jobs.' : `Recent pipeline jobs: ${pipelines.slice(0, 10).join(', ')}.`;
  throw new BotError('usage', `No pipeline job '${clip(job)}' in ${env}. ${list}`, {
    remedy: hint ? `Did you mean \`${hint}\`?` : 'Run the pipeline once in Azure ML (its job is what the schedule copies), or pick one from the list.',
    details: { job: clip(job), env, valid: pipelines.slice(0, 10) },
  });
}
