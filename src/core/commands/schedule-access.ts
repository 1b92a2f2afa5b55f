/** What every `schedule …` handler shares: the environment, the per-environment gate, the audit line. */
import { mayManageSchedules } from '../access';
import type { ScheduleSpec } from '../models';
import { recordAudit } from '../audit/record';
import { BotError } from '../errors';
import type { EnvironmentSettings } from '../settings';
import { environment, flag } from './lookup';
import { mapLimit } from './map-limit';
import type { CommandContext, ParsedArgs } from './types';

/** The environment named by `--env` (default the source), once the caller may manage its schedules. */
export async function scheduleEnvironment(ctx: CommandContext, args: ParsedArgs): Promise<EnvironmentSettings> {
  const env = environment(ctx.settings, flag(args, 'env'));
  if (!(await mayManageSchedules(ctx.invocation.caller, env, ctx.settings, ctx.ports.directory))) {
    // The dispatcher audits a `forbidden` error as a refusal.
    throw new BotError('forbidden', `Managing schedules in ${env.name} is for admins and the schedulers of ${env.name}.`, {
      remedy: 'Ask an admin to add you to the environment\'s schedulers.',
      details: { env: env.name },
    });
  }
  return env;
}

export async function auditSchedule(ctx: CommandContext, action: string, env: string, detail: Record<string, unknown>): Promise<void> {
  await recordAudit(ctx.ports.store, ctx.settings, [{
    action, actor: ctx.invocation.caller.id, env, detail, correlationId: ctx.invocation.correlationId,
  }]);
}

/** A schedule that is not there: lists the ones that are, and names the environments that have one of that name. */
export async function unknownSchedule(ctx: CommandContext, env: string, name: string, elsewhere: readonly string[] = []): Promise<BotError> {
  const names = (await ctx.ports.schedules.list(env)).map((s) => s.name).sort();
  const list = names.length === 0 ? 'It has no schedules.' : `Schedules: ${names.join(', ')}.`;
  const there = elsewhere.length === 0 ? '' : ` A schedule '${name.slice(0, 60)}' exists in ${elsewhere.join(', ')}.`;
  return new BotError('not_found', `No schedule '${name.slice(0, 60)}' in ${env}. ${list}${there}`, {
    remedy: elsewhere.length > 0
      ? `Add \`--env ${elsewhere[0]}\` to the command.`
      : `Type \`schedule list --env ${env}\` to see them.`,
    details: { env, name: name.slice(0, 60), ...(elsewhere.length > 0 ? { elsewhere } : {}) },
  });
}

/** The other environments the caller may manage schedules in that hold a schedule of this name. */
export async function environmentsWithSchedule(ctx: CommandContext, except: string, name: string): Promise<{ env: string; spec: ScheduleSpec }[]> {
  const { caller } = ctx.invocation;
  const others = ctx.settings.environments.filter((e) => e.name !== except);
  const found = await mapLimit(others, 3, async (e) => {
    if (!(await mayManageSchedules(caller, e, ctx.settings, ctx.ports.directory))) return undefined;
    // One environment that cannot be read does not hide the answer from the others.
    const spec = await ctx.ports.schedules.get(e.name, name).catch(() => null);
    return spec ? { env: e.name, spec } : undefined;
  });
  return found.filter((f): f is { env: string; spec: ScheduleSpec } => f !== undefined);
}
