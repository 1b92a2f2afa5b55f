/** `schedule list | show | enable | disable | delete`: read and change existing Azure ML schedules. */
import { card } from '../cards/views';
import type { ScheduleSpec } from '../models';
import { describeAction, describeTrigger, scheduleCard, schedulesCard } from '../schedules/view';
import { withHandler } from './registry';
import { auditSchedule, scheduleEnvironment, unknownSchedule } from './schedule-access';
import { scheduleDeleteSpec, scheduleDisableSpec, scheduleEnableSpec, scheduleListSpec, scheduleShowSpec } from './specs/schedule';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const nameOf = (args: ParsedArgs): string => args.positional.name ?? '';

async function existing(ctx: CommandContext, env: string, name: string): Promise<ScheduleSpec> {
  const spec = await ctx.ports.schedules.get(env, name);
  if (!spec) throw await unknownSchedule(ctx, env, name);
  return spec;
}

export const scheduleListCommand: CommandSpec = withHandler(scheduleListSpec, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const specs = await ctx.ports.schedules.list(env.name);
  return { status: 'ok', visibility: 'public', reply: schedulesCard(specs, env.name) };
});

export const scheduleShowCommand: CommandSpec = withHandler(scheduleShowSpec, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const spec = await existing(ctx, env.name, nameOf(args));
  const subtitle = spec.enabled ? `Next runs in ${spec.timeZone}` : 'Disabled: it will not run until enabled again';
  return { status: 'ok', visibility: 'public', reply: scheduleCard(spec, env.name, ctx.ports.clock.now(), `Schedule ${spec.name}`, subtitle) };
});

function toggle(enabled: boolean): CommandSpec['handler'] {
  return async (ctx, args): Promise<Outcome> => {
    const env = await scheduleEnvironment(ctx, args);
    const before = await existing(ctx, env.name, nameOf(args));
    const verb = enabled ? 'enabled' : 'disabled';
    if (before.enabled === enabled) {
      return { status: 'ok', visibility: 'public', reply: scheduleCard(before, env.name, ctx.ports.clock.now(), `Schedule ${before.name} was already ${verb}`, 'Nothing changed') };
    }
    const after = (await ctx.ports.schedules.setEnabled(env.name, before.name, enabled)) ?? { ...before, enabled };
    await auditSchedule(ctx, `schedule.${verb}`, env.name, { name: after.name, trigger: describeTrigger(after), action: describeAction(after) });
    const subtitle = enabled ? `Next runs in ${after.timeZone}` : 'It will not run until enabled again';
    return { status: 'ok', visibility: 'public', reply: scheduleCard(after, env.name, ctx.ports.clock.now(), `Schedule ${after.name} ${verb}`, subtitle) };
  };
}

export const scheduleEnableCommand: CommandSpec = withHandler(scheduleEnableSpec, toggle(true));
export const scheduleDisableCommand: CommandSpec = withHandler(scheduleDisableSpec, toggle(false));

export const scheduleDeleteCommand: CommandSpec = withHandler(scheduleDeleteSpec, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const spec = await existing(ctx, env.name, nameOf(args));
  const deleted = await ctx.ports.schedules.delete(env.name, spec.name);
  if (!deleted) throw await unknownSchedule(ctx, env.name, spec.name);
  await auditSchedule(ctx, 'schedule.deleted', env.name, { name: spec.name, trigger: describeTrigger(spec), action: describeAction(spec) });
  return {
    status: 'ok',
    visibility: 'public',
    reply: card('notice', { title: `Schedule ${spec.name} deleted`, text: `It ran ${describeAction(spec)} ${describeTrigger(spec)} (${spec.timeZone}) in ${env.name}.`, tone: 'good' }),
  };
});

export const scheduleCommands: readonly CommandSpec[] = [
  scheduleListCommand, scheduleShowCommand, scheduleEnableCommand, scheduleDisableCommand, scheduleDeleteCommand,
];
