import type { CommandSpec, FlagSpec } from '../types';

/** Grammar of `schedule …` (DESIGN §1, §5); handlers are attached where the capability is built. */
type Declaration = Omit<CommandSpec, 'handler'>;

export const FREQUENCIES = ['minute', 'hour', 'day', 'week', 'month'] as const;

const envFlag: FlagSpec = { name: 'env', kind: 'string', description: 'Environment whose workspace holds the schedule (default: the source)' };
const nameArg = { name: 'name', required: true, description: 'Schedule name' };

export const scheduleCreateSpec: Declaration = {
  name: 'schedule create',
  summary: 'Create an Azure ML schedule that runs a batch endpoint or a pipeline job',
  usage: 'schedule create <name> --endpoint <batch-endpoint> (--every <unit> [--interval N] [--at HH:MM] | --cron "<expr>") [--tz Z] [--env E] [--input <uri>]',
  examples: [
    'schedule create nightly-scoring --endpoint taxi-batch --every day --at 02:00 --tz Europe/Paris --env prod',
    'schedule create hourly --endpoint taxi-batch --cron "0 * * * *"',
    'schedule create retrain --pipeline train-taxi --every week --at 06:00',
  ],
  args: [nameArg],
  flags: [
    { name: 'endpoint', kind: 'string', description: 'Batch endpoint to invoke' },
    { name: 'pipeline', kind: 'string', description: 'Pipeline job to create instead of invoking an endpoint' },
    { name: 'every', kind: 'string', description: 'Recurrence unit', values: FREQUENCIES },
    { name: 'interval', kind: 'string', description: 'Every N units (default 1)' },
    { name: 'at', kind: 'string', description: 'Time of day, HH:MM' },
    { name: 'cron', kind: 'string', description: 'Cron expression instead of --every' },
    { name: 'tz', kind: 'string', description: 'IANA time zone (default UTC)' },
    envFlag,
    { name: 'input', kind: 'string', description: 'Input data URI for the batch endpoint' },
  ],
  permission: 'scheduler',
};

export const scheduleListSpec: Declaration = {
  name: 'schedule list',
  summary: 'Schedules of an environment',
  usage: 'schedule list [--env E]',
  examples: ['schedule list', 'schedule list --env prod'],
  args: [],
  flags: [envFlag],
  permission: 'scheduler',
};

function single(verb: 'show' | 'disable' | 'enable' | 'delete', summary: string): Declaration {
  return {
    name: `schedule ${verb}`,
    summary,
    usage: `schedule ${verb} <name> [--env E]`,
    examples: [`schedule ${verb} nightly-scoring --env prod`],
    args: [nameArg],
    flags: [envFlag],
    permission: 'scheduler',
  };
}

export const scheduleShowSpec = single('show', 'A schedule with its next run times');
export const scheduleDisableSpec = single('disable', 'Pause a schedule');
export const scheduleEnableSpec = single('enable', 'Resume a schedule');
export const scheduleDeleteSpec = single('delete', 'Delete a schedule');

export const scheduleSpecs: readonly Declaration[] = [
  scheduleCreateSpec, scheduleListSpec, scheduleShowSpec, scheduleDisableSpec, scheduleEnableSpec, scheduleDeleteSpec,
];
