/** `subscribe <kind> [--env E] [--filter F]`: send notifications of a kind to this channel (admins). */
import { recordAudit } from '../audit/record';
import { card } from '../cards/views';
import { BotError } from '../errors';
import { describeSubscription } from '../notifications/describe';
import type { SubscriptionKind } from '../notifications/event';
import { makeSubscription, SubscriptionBook } from '../notifications/subscriptions';
import { envFlag, flag } from './lookup';
import { subscribeSpec } from './specs/subscribe';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

export const subscribeCommand: CommandSpec = {
  ...subscribeSpec,
  examples: [...subscribeSpec.examples, 'subscribe releases --env prod --filter "kind:rejected"'],
  async handler(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
    const channel = channelOf(ctx, 'subscribe');
    const kind = args.positional.kind as SubscriptionKind;
    const env = envFlag(ctx.settings, args);
    const sub = {
      ...makeSubscription(channel, kind, env?.name, flag(args, 'filter'), 'command'),
      createdBy: ctx.invocation.caller.id,
      createdAt: ctx.ports.clock.now().toISOString(),
    };
    const added = await new SubscriptionBook(ctx.ports.store, ctx.settings).add(sub);
    if (added) {
      await recordAudit(ctx.ports.store, ctx.settings, [{
        action: 'subscription.added', actor: ctx.invocation.caller.id, ...(env ? { env: env.name } : {}),
        detail: { channel, kind, filter: sub.filter }, correlationId: ctx.invocation.correlationId,
      }]);
      ctx.log.info({ channel, kind, env: env?.name }, 'subscription added');
    }
    return {
      status: 'ok',
      visibility: 'public',
      reply: card('notice', {
        title: added ? 'Subscribed' : 'Already subscribed',
        text: added
          ? `This channel now receives ${describeSubscription(sub)}.`
          : `This channel already receives ${describeSubscription(sub)}; nothing changed.`,
        tone: added ? 'good' : 'info',
      }),
    };
  },
};

/** Subscriptions belong to a channel: a command typed outside one has nothing to act on. */
export function channelOf(ctx: CommandContext, command: string): string {
  const channel = ctx.invocation.channel;
  if (!channel) {
    throw new BotError('usage', `\`${command}\` works in a channel: run it in the channel that should receive the notifications.`, {
      remedy: 'Type the command in that channel (Slack or Teams).',
    });
  }
  return channel;
}
