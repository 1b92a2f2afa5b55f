/**
 * The effects only rollbacks ask for. `switch_traffic` is keyed once per request: recording the
 * approval twice, a second click or a replay after a crash never asks for a second traffic change
 * (and the adapter sends no PUT when the split is already there).
 */
import type { EffectDraft } from '../outbox/types';
import { startRelease } from '../promotion/effect-drafts';
import type { PromotionRequest } from '../promotion/types';
import { changeTraffic } from '../traffic/effect-drafts';

export const ROLLBACK_EFFECTS = ['switch_traffic', 'rollback_notice'] as const;

/** `mirror` (traffic changes) replaces the mirror split too; without it the mirror is kept. */
export interface SwitchTrafficPayload { requestId: string; env: string; endpoint: string; traffic: Record<string, number>; mirror?: Record<string, number> }
export interface RollbackNoticePayload { requestId: string; channel?: string; channels?: string[]; text: string; tone: 'good' | 'attention'; title?: string }

export function switchTraffic(r: PromotionRequest): EffectDraft {
  const plan = r.rollback!;
  return {
    key: `${r.id}:switch_traffic`, kind: 'switch_traffic',
    payload: { requestId: r.id, env: r.targetEnv, endpoint: plan.endpoint ?? '', traffic: plan.trafficAfter ?? {} } satisfies SwitchTrafficPayload as unknown as Record<string, unknown>,
  };
}

/** What moves an approved request forward: one traffic update for a traffic change or rollback, else the release. */
export function goAhead(r: PromotionRequest): EffectDraft {
  if (r.traffic) return changeTraffic(r);
  return r.rollback?.mode === 'traffic' ? switchTraffic(r) : startRelease(r);
}

/** The environment's notification channels hear how a rollback ended (one effect per channel). */
export function rollbackNotices(r: PromotionRequest, channels: string[], text: string, tone: RollbackNoticePayload['tone']): EffectDraft[] {
  if (!r.rollback || channels.length === 0) return [];
  return [{ key: `${r.id}:rollback_notice:${r.state}`, kind: 'rollback_notice', payload: { requestId: r.id, channels, text, tone } satisfies RollbackNoticePayload as unknown as Record<string, unknown> }];
}
