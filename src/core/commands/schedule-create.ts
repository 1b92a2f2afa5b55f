/** `schedule create`: validate, check the endpoint exists, save the Azure ML schedule, preview its next runs. */
import { BotError } from '../errors';
import { buildScheduleSpec, checkEndpoint, checkPipelineJob, pipelineJobName, type ScheduleRequest } from '../schedules/validate';
import { describeAction, describeTrigger, scheduleCard } from '../schedules/view';
import { withHandler } from './registry';
import { auditSchedule, scheduleEnvironment } from './schedule-access';
import { flag } from './lookup';
import { scheduleCreateSpec } from './specs/schedule';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const STRING_FLAGS = ['endpoint', 'pipeline', 'every', 'interval', 'at', 'on', 'day', 'cron', 'tz', 'input'] as const;

export function scheduleRequest(args: ParsedArgs): ScheduleRequest {
  const req: ScheduleRequest = { name: args.positional.name ?? '' };
  for (const f of STRING_FLAGS) {
    const v = flag(args, f);
    if (v !== undefined) req[f] = v;
  }
  return req;
}

async function createSchedule(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
  const now = ctx.ports.clock.now();
  const env = await scheduleEnvironment(ctx, args);
  const spec = buildScheduleSpec(scheduleRequest(args), now);
  const { schedules } = ctx.ports;
  if (spec.action.type === 'invoke_batch_endpoint') checkEndpoint(spec.action.endpoint, await schedules.listBatchEndpoints(env.name), env.name);
  if (spec.action.type === 'create_pipeline_job') {
    const job = pipelineJobName(spec.action.job);
    const type = await schedules.jobType(env.name, job);
    checkPipelineJob(job, type, type === null ? await schedules.listPipelineJobs(env.name, 50) : [], env.name);
  }
  if (await schedules.get(env.name, spec.name)) {
    throw new BotError('already_exists', `A schedule named '${spec.name}' already exists in ${env.name}.`, {
      remedy: `Pick another name, or \`schedule delete ${spec.name} --env ${env.name}\` first.`,
      details: { env: env.name, name: spec.name },
    });
  }
  const saved = await schedules.upsert(env.name, { ...spec, description: `Created by ${ctx.invocation.caller.displayName} via MLOps Bot` });
  await auditSchedule(ctx, 'schedule.created', env.name, {
    name: saved.name, trigger: describeTrigger(saved), timeZone: saved.timeZone, action: describeAction(saved),
  });
  return {
    status: 'ok',
    visibility: 'public',
    reply: scheduleCard(saved, env.name, now, `Schedule ${saved.name} created`, `Next runs in ${saved.timeZone}`),
  };
}

/** The declared grammar plus `--on` (days of a weekly recurrence). */
export const scheduleCreateCommand: CommandSpec = withHandler({
  ...scheduleCreateSpec,
  usage: 'schedule create <name> (--endpoint <batch-endpoint> [--input <uri>] | --pipeline <job>) (--every <unit> [--interval N] [--at HH:MM] [--on mon,wed] [--day D] | --cron "<expr>") [--tz Z] [--env E]',
  examples: [
    ...scheduleCreateSpec.examples,
    'schedule create weekly-scoring --endpoint taxi-batch --every week --on mon,thu --at 06:00 --tz Europe/Amsterdam',
    'schedule create monthly-scoring --endpoint taxi-batch --every month --day 1 --at 06:00',
  ],
  flags: [
    ...scheduleCreateSpec.flags,
    { name: 'on', kind: 'string', description: 'Days of a weekly recurrence, e.g. mon,wed' },
    { name: 'day', kind: 'string', description: 'Day of the month of a monthly recurrence, 1-31 (default: today)' },
  ],
}, createSchedule);
