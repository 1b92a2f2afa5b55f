/**
 * Outbox lanes of promotion effects (see core/outbox/lanes.ts). A request's cards are posted and
 * edited in order, in a lane of their own, so a slow chat never holds its Azure DevOps steps,
 * which have their own lane; notices and reminders queue behind their channel only.
 */
import type { OutboxEffect } from '../outbox/types';
import { PROMOTION_EFFECTS, type PromotionEffectKind } from './effect-drafts';

const LANES: Record<PromotionEffectKind, 'cards' | 'azure' | 'channel'> = {
  post_approval_card: 'cards',
  update_cards: 'cards',
  start_release: 'azure',
  ado_decide: 'azure',
  tag_model: 'azure',
  notify_requester: 'channel',
  remind_approvers: 'channel',
};

export const isPromotionEffect = (kind: string): kind is PromotionEffectKind => (PROMOTION_EFFECTS as readonly string[]).includes(kind);

/**
 * Steps that move a promotion: given up, they stall the request (card, requester, audit, Retry).
 * A card or notice that cannot be posted is reported on its own instead (app/dead-effects.ts): one
 * channel that is gone must not mark every card of the request as stuck.
 */
export const isPromotionStep = (kind: string): boolean => LANES[kind as PromotionEffectKind] === 'azure';

/** The lane of a promotion effect, or undefined for any other effect. */
export function promotionLaneOf(effect: OutboxEffect): string | undefined {
  const { requestId, channel } = effect.payload;
  if (!isPromotionEffect(effect.kind) || typeof requestId !== 'string') return undefined;
  const lane = LANES[effect.kind];
  if (lane === 'channel' && typeof channel === 'string') return `chat:${channel}`;
  return `${lane === 'channel' ? 'cards' : lane}:${requestId}`;
}
