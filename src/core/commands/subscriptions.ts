/** `subscriptions`: what this channel is notified about, from config and from commands. */
import { card } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { describeFilter } from '../notifications/describe';
import { SubscriptionBook } from '../notifications/subscriptions';
import { subscriptionsSpec } from './specs/subscribe';
import { channelOf } from './subscribe';
import type { CommandContext, CommandSpec, Outcome } from './types';

export const subscriptionsCommand: CommandSpec = {
  ...subscriptionsSpec,
  async handler(ctx: CommandContext): Promise<Outcome> {
    const channel = channelOf(ctx, 'subscriptions');
    const subs = await new SubscriptionBook(ctx.ports.store, ctx.settings).forChannel(channel);
    return {
      status: 'ok',
      visibility: 'private',
      reply: card('subscriptions', {
        title: 'Notification subscriptions',
        subtitle: subs.length === 0
          ? 'This channel receives no notifications. An admin can add some with `subscribe failed-runs --env <env>`.'
          : `${subs.length} subscription${subs.length === 1 ? '' : 's'} in this channel`,
        rows: subs.map((s) => ({
          kind: s.kind,
          filter: describeFilter(s),
          created: s.origin === 'config' ? 'from config' : `${formatDateTime(s.createdAt)}${s.createdBy ? ` by ${s.createdBy}` : ''}`,
        })),
      }),
    };
  },
};
