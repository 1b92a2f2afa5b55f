/**
 * Private answers to commands typed in a channel or group chat. Teams has no ephemeral messages,
 * so "to the caller only" means the bot's 1:1 chat with them: the one the bot already knows, else
 * one it opens through the connector. Only when neither works does the answer go in the thread,
 * with a note saying whom it is for and why it is not private.
 */
import type { TeamsAttachment } from '../../cards/render';
import type { Outcome } from '../../core/commands/types';
import { rememberCard } from '../../core/promotion/effects';
import { tenantsOf } from './activity-gate';
import type { Ctx } from './turn-handler';
import type { OutboundMessage } from './types';

export async function deliverPrivately(ctx: Ctx, outcome: Outcome, attachment: TeamsAttachment): Promise<void> {
  const sent = await sendOneToOne(ctx, { attachments: [attachment] });
  if (sent) {
    ctx.log.info({ conversationId: sent.conversationId }, 'private answer sent to the caller\'s 1:1 chat');
    await rememberPromotionCard(ctx, outcome, `teams:${sent.conversationId}`, sent.messageId);
    return;
  }
  const text = `For ${ctx.caller.displayName}: I could not open a private chat with you, so this answer is here in the thread. Chat with the bot directly (or install it for yourself) to keep answers to yourself.`;
  const id = await ctx.turn.reply({ text, attachments: [attachment] });
  await rememberPromotionCard(ctx, outcome, ctx.channel, id);
}

export async function rememberPromotionCard(ctx: Ctx, outcome: Outcome, channel: string, messageId: string | undefined): Promise<void> {
  if (messageId && outcome.requestId && (outcome.reply.template === 'promotion' || outcome.reply.template === 'rollback')) {
    await rememberCard(ctx.core.store, outcome.requestId, { channel, messageId });
  }
}

async function sendOneToOne(ctx: Ctx, message: OutboundMessage): Promise<{ conversationId: string; messageId: string } | null> {
  const { activity } = ctx.turn;
  const user = activity.from;
  if (!user?.id) return null;
  const known = await ctx.book.personalChatOf(user.id);
  if (known) {
    try {
      return { conversationId: known.conversation.id, messageId: await ctx.transport.send(known, message) };
    } catch (e) {
      // The user may have removed the app; opening the chat again below reinstalls nothing but may still work.
      ctx.log.warn({ err: e, conversationId: known.conversation.id }, 'posting to the caller\'s known 1:1 chat failed');
    }
  }
  if (!activity.serviceUrl || !activity.recipient?.id) return null;
  try {
    const opened = await ctx.transport.openPersonal({
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId ?? 'msteams',
      bot: activity.recipient,
      user,
      tenantId: tenantsOf(activity as unknown as Record<string, unknown>)[0],
    }, message);
    const conversationId = await ctx.book.rememberPersonal(user.id, opened.reference);
    return { conversationId, messageId: opened.messageId };
  } catch (e) {
    ctx.log.warn({ err: e }, 'could not open a 1:1 chat with the caller; answering in the thread');
    return null;
  }
}
