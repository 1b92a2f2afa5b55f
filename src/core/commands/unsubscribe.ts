/**
 * `unsubscribe <kind> [--env E] [--filter F]`: stop notifications of a kind in this channel (admins).
 * It removes the one subscription that matches kind, environment and filter; when several match and
 * the command does not say which, it lists them and changes nothing.
 */
import { recordAudit } from '../audit/record';
import { card } from '../cards/views';
import { describeSubscription } from '../notifications/describe';
import type { SubscriptionKind } from '../notifications/event';
import { SubscriptionBook, type Subscription } from '../notifications/subscriptions';
import { envFlag, flag } from './lookup';
import { unsubscribeSpec } from './specs/subscribe';
import { channelOf } from './subscribe';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

export const unsubscribeCommand: CommandSpec = {
  ...unsubscribeSpec,
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const channel = channelOf(ctx, 'unsubscribe');
    const kind = args.positional.kind as SubscriptionKind;
    const env = envFlag(ctx.settings, args);
    const filter = flag(args, 'filter');
    const book = new SubscriptionBook(ctx.ports.store, ctx.settings);
    const found = await book.matching(channel, kind, env?.name, filter);
    if (found.length === 0) return nothingToRemove(await book.forChannel(channel), kind, env?.name, filter);
    if (found.length > 1 && filter === undefined) return whichOne(found, kind);
    const removed = await book.remove(channel, found);
    await recordAudit(ctx.ports.store, ctx.settings, [{
      action: 'subscription.removed', actor: ctx.invocation.caller.id, ...(env ? { env: env.name } : {}),
      detail: { channel, kind, removed: removed.map((s) => ({ env: s.env ?? null, filter: s.filter, origin: s.origin })) },
      correlationId: ctx.invocation.correlationId,
    }]);
    ctx.log.info({ channel, kind, env: env?.name, removed: removed.length }, 'subscriptions removed');
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('notice', {
        title: 'Unsubscribed',
        text: `This channel no longer receives ${removed.map(describeSubscription).join('; ')}.`,
        tone: 'good',
      }),
    };
  },
};

/** The command that removes exactly this subscription. */
function commandFor(s: Subscription): string {
  return `unsubscribe ${s.kind}${s.env ? ` --env ${s.env}` : ''}${s.filter ? ` --filter "${s.filter}"` : ''}`;
}

function whichOne(found: Subscription[], kind: SubscriptionKind): Outcome {
  return {
    status: 'invalid',
    visibility: 'private',
    reply: card('notice', {
      title: 'Which one?',
      text: `This channel has ${found.length} ${kind} subscriptions; nothing was removed. Name the one to remove: ${found.map((s) => `\`${commandFor(s)}\``).join(', ')}.`,
      tone: 'warning',
    }),
  };
}

function nothingToRemove(current: Subscription[], kind: SubscriptionKind, env: string | undefined, filter: string | undefined): Outcome {
  const what = `${kind} subscription${env ? ` for ${env}` : ''}${filter !== undefined ? ' with that filter' : ''}`;
  return {
    status: 'not_found',
    visibility: 'private',
    reply: card('notice', {
      title: 'Nothing to remove',
      text: `This channel has no ${what}. ${current.length > 0
        ? `It receives: ${current.map(describeSubscription).join('; ')}.`
        : 'It has no subscriptions.'}`,
      tone: 'info',
    }),
  };
}
