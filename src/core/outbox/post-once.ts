/**
 * Exactly-once posts from the outbox. A post whose answer was lost (the platform posted but
 * answered 500, or the call timed out) would be posted again by the retry; instead every post
 * carries its effect's key, and a retry first asks the platform whether a message with that key
 * is already there.
 */
import type { CardMessage } from '../cards/views';
import type { Chat, MessageRef } from '../ports';
import type { OutboxEffect } from './types';

/** Clocks of the platform and the bot differ a little; look a bit before the effect was recorded. */
const LOOKBACK_MS = 5 * 60_000;

export async function postOnce(
  chat: Pick<Chat, 'post' | 'findPosted'>, channel: string, message: CardMessage, effect: Pick<OutboxEffect, 'key' | 'createdAt' | 'attempts'> & { payload?: Record<string, unknown> }, marker = effect.key,
): Promise<MessageRef> {
  // Looked up on a retry, or at once when the effect was recorded after a post whose answer was lost.
  if ((effect.attempts > 1 || effect.payload?.lookFirst === true) && chat.findPosted) {
    const since = new Date(Date.parse(effect.createdAt) - LOOKBACK_MS);
    const found = await chat.findPosted(channel, marker, since);
    if (found) return found;
  }
  return chat.post(channel, message, { marker });
}
