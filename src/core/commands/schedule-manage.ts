/** `schedule list | show | enable | disable | delete`: read and change existing Azure ML schedules. */
import { card, type ActionButton } from '../cards/views';
import type { ScheduleSpec } from '../models';
import { describeAction, describeTrigger, scheduleCard, schedulesCard } from '../schedules/view';
import { withHandler } from './registry';
import { flag } from './lookup';
import { auditSchedule, environmentsWithSchedule, scheduleEnvironment, unknownSchedule } from './schedule-access';
import { scheduleDeleteSpec, scheduleDisableSpec, scheduleEnableSpec, scheduleListSpec, scheduleShowSpec } from './specs/schedule';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const nameOf = (args: ParsedArgs): string => args.positional.name ?? '';

/**
 * The named schedule in the environment. Without `--env` a miss looks through the other environments
 * the caller manages: `show` follows a single match there; changes only name it (they stay explicit).
 */
async function existing(ctx: CommandContext, args: ParsedArgs, env: string, follow = false): Promise<{ env: string; spec: ScheduleSpec }> {
  const name = nameOf(args);
  const spec = await ctx.ports.schedules.get(env, name);
  if (spec) return { env, spec };
  const elsewhere = flag(args, 'env') === undefined ? await environmentsWithSchedule(ctx, env, name) : [];
  if (follow && elsewhere.length === 1) return elsewhere[0];
  throw await unknownSchedule(ctx, env, name, elsewhere.map((e) => e.env));
}

export const scheduleListCommand: CommandSpec = withHandler(scheduleListSpec, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const specs = await ctx.ports.schedules.list(env.name);
  return { status: 'ok', visibility: 'public', reply: schedulesCard(specs, env.name) };
});

export const scheduleShowCommand: CommandSpec = withHandler(scheduleShowSpec, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const found = await existing(ctx, args, env.name, true);
  const { spec } = found;
  const where = found.env === env.name ? '' : ` (found in ${found.env}, not ${env.name})`;
  const subtitle = `${spec.enabled ? `Next runs in ${spec.timeZone}` : 'Disabled: it will not run until enabled again'}${where}`;
  return { status: 'ok', visibility: 'public', reply: scheduleCard(spec, found.env, ctx.ports.clock.now(), `Schedule ${spec.name}`, subtitle) };
});

function toggle(enabled: boolean): CommandSpec['handler'] {
  return async (ctx, args): Promise<Outcome> => {
    const env = await scheduleEnvironment(ctx, args);
    const { spec: before } = await existing(ctx, args, env.name);
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

/** What a Confirm button of a schedule may carry: single tokens that cannot open a flag or a quote. */
export const SCHEDULE_CONFIRM_PATTERNS = {
  name: /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
  env: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
} as const;

/** Without `--confirm`, delete shows what it would delete and changes nothing (as `sp create` does). */
export const scheduleDeleteCommand: CommandSpec = withHandler({
  ...scheduleDeleteSpec,
  usage: 'schedule delete <name> [--env E] [--confirm]',
  examples: ['schedule delete nightly-scoring --env prod', 'schedule delete nightly-scoring --env prod --confirm'],
  flags: [...scheduleDeleteSpec.flags, { name: 'confirm', kind: 'boolean', description: 'Delete it now; without it the card only shows what would be deleted' }],
}, async (ctx, args) => {
  const env = await scheduleEnvironment(ctx, args);
  const { spec } = await existing(ctx, args, env.name);
  if (args.flags.confirm !== true) {
    const data = { name: spec.name, env: env.name };
    const clickable = SCHEDULE_CONFIRM_PATTERNS.name.test(spec.name) && SCHEDULE_CONFIRM_PATTERNS.env.test(env.name);
    const actions: ActionButton[] = [
      ...(clickable ? [{ verb: 'confirm-schedule-delete', title: 'Delete', data, style: 'destructive' as const }] : []),
      { verb: 'cancel-schedule-delete', title: 'Cancel', data },
    ];
    const how = `${clickable ? 'Click Delete, or type' : 'Type'} \`schedule delete ${spec.name} --env ${env.name} --confirm\``;
    const subtitle = `Nothing is deleted yet. ${how} to delete it.`;
    return { status: 'ok', visibility: 'public', reply: scheduleCard(spec, env.name, ctx.ports.clock.now(), `Delete schedule ${spec.name}?`, subtitle, actions) };
  }
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
