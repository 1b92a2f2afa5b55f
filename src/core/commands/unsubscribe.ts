/** `unsubscribe <kind> [--env E]`: stop notifications of a kind in this channel (admins). */
import { recordAudit } from '../audit/record';
import { card } from '../cards/views';
import { describeSubscription } from '../notifications/describe';
import type { SubscriptionKind } from '../notifications/event';
import { SubscriptionBook } from '../notifications/subscriptions';
import { envFlag } from './lookup';
import { unsubscribeSpec } from './specs/subscribe';
import { channelOf } from './subscribe';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

export const unsubscribeCommand: CommandSpec = {
  ...unsubscribeSpec,
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const channel = channelOf(ctx, 'unsubscribe');
    const kind = args.positional.kind as SubscriptionKind;
    const env = envFlag(ctx.settings, args);
    const book = new SubscriptionBook(ctx.ports.store, ctx.settings);
    const removed = await book.remove(channel, kind, env?.name);
    if (removed.length === 0) {
      const current = await book.forChannel(channel);
      return {
        status: 'not_found',
        visibility: 'private',
        reply: card('notice', {
          title: 'Nothing to remove',
          text: `This channel has no ${kind} subscription${env ? ` for ${env.name}` : ''}. ${current.length > 0
            ? `It receives: ${current.map(describeSubscription).join('; ')}.`
            : 'It has no subscriptions.'}`,
          tone: 'info',
        }),
      };
    }
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
