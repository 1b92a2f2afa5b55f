/**
 * The one Azure step of a traffic change: the same `switch_traffic` effect a traffic rollback uses,
 * keyed once per request (a second click, a retry or a replay never asks for a second change, and
 * the adapter sends no PUT when the split is already there), carrying the mirror split too.
 */
import type { EffectDraft } from '../outbox/types';
import type { PromotionRequest } from '../promotion/types';
import type { SwitchTrafficPayload } from '../rollback/effect-drafts';

export function changeTraffic(r: PromotionRequest): EffectDraft {
  const plan = r.traffic!;
  const payload: SwitchTrafficPayload = {
    requestId: r.id, env: r.targetEnv, endpoint: plan.endpoint, traffic: plan.after.traffic,
    ...(plan.mirrorGiven || plan.droppedMirror ? { mirror: plan.after.mirror } : {}),
  };
  return { key: `${r.id}:switch_traffic`, kind: 'switch_traffic', payload: payload as unknown as Record<string, unknown> };
}
