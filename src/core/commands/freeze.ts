/**
 * `freeze <env> (--for D | --until T) --reason "…"` and `unfreeze <env>` (admins): ad-hoc
 * deployment freezes (DESIGN §9.5), kept in the store. Starts and ends are audited and posted to the
 * audit channels; requests already waiting are held by the promotion clock, run here at once so
 * their cards say so now.
 */
import { recordAudit } from '../audit/record';
import { card } from '../cards/views';
import { BotError } from '../errors';
import { parseDuration } from '../format/duration';
import { freezeLine, utcText } from '../policy/freeze-check';
import { claimFreezeEvent, freezeAudit } from '../policy/freeze-watch';
import { adhocFreeze, ADHOC_NAMESPACE, currentFreeze, freezeOf, type AdhocFreeze } from '../policy/freezes';
import { serviceFor } from '../promotion/command-support';
import { environment, flag } from './lookup';
import { parseUntil } from './until';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const usage = 'freeze <env> (--for D | --until T) --reason "…"';
const MAX_MS = 90 * 86_400_000;

export const freezeCommand: CommandSpec = {
  name: 'freeze',
  summary: 'Stop promotions and rollouts to an environment for a while (rollbacks stay allowed)',
  usage,
  examples: ['freeze prod --for 4h --reason "incident 4711"', 'freeze prod --until 2026-12-28T08:00Z --reason "holiday freeze"'],
  args: [{ name: 'env', required: true, description: 'Environment to freeze' }],
  flags: [
    { name: 'for', kind: 'string', description: 'How long, e.g. 4h, 2d, 1h30m' },
    { name: 'until', kind: 'string', description: 'End time: 2026-12-28T08:00Z, "2026-12-28 08:00" (UTC) or 08:00 (next, UTC)' },
    { name: 'reason', kind: 'string', description: 'Why; shown in every refusal' },
  ],
  permission: 'admin',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, args.positional.env);
    const now = ctx.ports.clock.now();
    const reason = flag(args, 'reason')?.trim();
    if (!reason) throw new BotError('usage', 'A freeze needs a reason, shown to everyone it stops.', { remedy: `Usage: ${usage}` });
    const end = endOf(args, now);
    const { store } = ctx.ports;
    const caller = ctx.invocation.caller;
    const prior = await store.getDoc<AdhocFreeze>(ADHOC_NAMESPACE, env.name.toLowerCase());
    const before = prior && Date.parse(prior.end) > now.getTime() ? adhocFreeze(prior) : undefined;
    const calendarFreeze = freezeOf(ctx.settings, [], env.name, now);
    const record: AdhocFreeze = { env: env.name, reason, start: now.toISOString(), end: end.toISOString(), by: { id: caller.id, name: caller.displayName || caller.id } };
    await store.putDoc(ADHOC_NAMESPACE, env.name.toLowerCase(), record);
    const f = adhocFreeze(record);
    // The freeze this one replaces ends here, without an "ended" line of its own.
    if (before) await claimFreezeEvent(store, 'ended', before, now);
    const replaced = before ? `; replaces the freeze until ${utcText(before.end)}` : '';
    await recordAudit(store, ctx.settings, [{
      ...freezeAudit('freeze.started', f, `${env.name} frozen by ${record.by.name} until ${utcText(f.end)}: ${reason}${replaced}`, caller.id),
      correlationId: ctx.invocation.correlationId,
    }]);
    await claimFreezeEvent(store, 'started', f, now);
    const held = await serviceFor(ctx).tick();
    const calendar = calendarFreeze ? ` A calendar freeze (${calendarFreeze.source ?? 'freezes'}) also holds it until ${utcText(calendarFreeze.end)}.` : '';
    return {
      status: 'ok', visibility: 'public',
      reply: card('notice', {
        title: `${env.name} frozen`,
        text: `${freezeLine(f)}${replaced}. Promotions and rollouts to ${env.name} are refused until then; rollbacks are allowed; `
          + `requests already waiting cannot release before it ends${held > 0 ? ` (${held} updated)` : ''}.${calendar} Lift it early with: unfreeze ${env.name}`,
        tone: 'warning',
      }),
    };
  },
};

function endOf(args: ParsedArgs, now: Date): Date {
  const forText = flag(args, 'for');
  const untilText = flag(args, 'until');
  if ((forText === undefined) === (untilText === undefined)) {
    throw new BotError('usage', 'Say how long the freeze lasts with exactly one of --for or --until.', { remedy: `Usage: ${usage}` });
  }
  if (forText !== undefined) {
    const ms = parseDuration(forText);
    if (ms === null) throw new BotError('usage', `--for '${forText.slice(0, 40)}' is not a duration.`, { remedy: 'Write a number with a unit: 30m, 4h, 2d, 1h30m.' });
    if (ms > MAX_MS) throw new BotError('usage', `--for ${forText} is longer than 90 days.`, { remedy: 'Freeze for at most 90d; use freezes: in the configuration for recurring windows.' });
    return new Date(now.getTime() + ms);
  }
  const end = parseUntil(untilText ?? '', now);
  if (end.getTime() <= now.getTime()) {
    throw new BotError('usage', `--until ${utcText(end.toISOString())} is not in the future (now ${utcText(now.toISOString())}).`, { remedy: 'Give a later time, or use --for.' });
  }
  if (end.getTime() - now.getTime() > MAX_MS) throw new BotError('usage', `--until ${utcText(end.toISOString())} is more than 90 days away.`, { remedy: 'Freeze for at most 90 days.' });
  return end;
}

export const unfreezeCommand: CommandSpec = {
  name: 'unfreeze',
  summary: 'Lift the freeze set with `freeze` on an environment',
  usage: 'unfreeze <env>',
  examples: ['unfreeze prod'],
  args: [{ name: 'env', required: true, description: 'Environment to unfreeze' }],
  flags: [],
  permission: 'admin',
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const env = environment(ctx.settings, args.positional.env);
    const { store } = ctx.ports;
    const now = ctx.ports.clock.now();
    const record = await store.getDoc<AdhocFreeze>(ADHOC_NAMESPACE, env.name.toLowerCase());
    const live = record && Date.parse(record.end) > now.getTime() ? adhocFreeze(record) : undefined;
    if (record) await store.deleteDoc(ADHOC_NAMESPACE, env.name.toLowerCase());
    if (live) {
      const name = ctx.invocation.caller.displayName || ctx.invocation.caller.id;
      await recordAudit(store, ctx.settings, [{
        ...freezeAudit('freeze.ended', live, `${env.name} unfrozen by ${name} (was frozen until ${utcText(live.end)}: ${live.reason})`, ctx.invocation.caller.id),
        correlationId: ctx.invocation.correlationId,
      }]);
      await claimFreezeEvent(store, 'ended', live, now);
    }
    const still = await currentFreeze({ store, settings: ctx.settings }, env.name, now);
    if (live) await serviceFor(ctx).tick();
    const calendar = still ? ` ${freezeLine(still)} (${still.source ?? 'calendar'}); change freezes: in the configuration to lift it, or promote with --break-glass.` : '';
    if (!live) {
      return {
        status: still ? 'conflict' : 'not_found', visibility: 'private',
        reply: card('notice', { title: `Nothing to unfreeze in ${env.name}`, text: `${env.name} has no freeze set with \`freeze\`.${calendar}`, tone: 'info' }),
      };
    }
    return {
      status: 'ok', visibility: 'public',
      reply: card('notice', {
        title: still ? `${env.name} freeze lifted, calendar freeze remains` : `${env.name} unfrozen`,
        text: `The freeze set by ${live.by?.name ?? 'an admin'} (${live.reason}) is lifted.${calendar || ` Promotions to ${env.name} are open again; held requests release now.`}`,
        tone: still ? 'warning' : 'good',
      }),
    };
  },
};
