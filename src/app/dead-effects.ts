/**
 * What happens when the outbox gives up on an effect: never silence. A promotion step stalls its
 * request (the card, the requester and the audit channel show it, with Retry); any other effect
 * (a card or a notice that could not be posted, a notification) becomes an audit entry, posted to
 * the audit channels, naming what was lost. Audit posts themselves are only counted and logged:
 * reporting them through the audit channel could fail the same way, again and again.
 */
import { AUDIT_POST_EFFECT } from '../core/audit/fan-out';
import { recordAudit } from '../core/audit/record';
import { spanText } from '../core/outbox/deadline';
import type { OutboxEffect } from '../core/outbox/types';
import type { Store } from '../core/ports';
import { isPromotionStep } from '../core/promotion/lanes';
import type { PromotionService } from '../core/promotion/service';
import type { BotSettings } from '../core/settings';

export interface DeadEffectDeps { service: PromotionService; store: Store; settings: BotSettings }

export async function reportDeadEffect(deps: DeadEffectDeps, effect: OutboxEffect, error: string, failedForMs: number): Promise<void> {
  const { requestId, channel } = effect.payload;
  if (isPromotionStep(effect.kind) && typeof requestId === 'string') {
    await deps.service.onEffectDead(requestId, effect.kind, error, failedForMs);
    return;
  }
  if (effect.kind === AUDIT_POST_EFFECT) return;
  const request = typeof requestId === 'string' ? await deps.store.getRequest(requestId) : null;
  await recordAudit(deps.store, deps.settings, [{
    action: 'outbox.gave_up',
    actor: 'system',
    ...(request ? { env: request.targetEnv, model: request.model, requestId: request.id } : {}),
    detail: {
      summary: `gave up on ${effect.kind}${typeof channel === 'string' ? ` to ${channel}` : ''} after ${spanText(failedForMs)}: ${error}`,
      kind: effect.kind, key: effect.key,
    },
  }]);
}
