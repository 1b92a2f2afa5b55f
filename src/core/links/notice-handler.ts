/** Posts the "account linked" message to the person (effect `account_link_notice`), exactly once. */
import { card } from '../cards/views';
import { postOnce } from '../outbox/post-once';
import type { EffectHandler } from '../outbox/worker';
import type { Chat } from '../ports';
import { LINK_NOTICE_EFFECT, type LinkNoticePayload } from './announce';

export function linkEffectHandlers(deps: { chat: Pick<Chat, 'post' | 'findPosted'> }): Record<string, EffectHandler> {
  return {
    [LINK_NOTICE_EFFECT]: async (effect) => {
      const p = effect.payload as unknown as LinkNoticePayload;
      const ref = await postOnce(deps.chat, p.chatUserId, card('notice', { title: p.title, text: p.text, tone: 'good' }), effect);
      return { channel: ref.channel, messageId: ref.messageId };
    },
  };
}
