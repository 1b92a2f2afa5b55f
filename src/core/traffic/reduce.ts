/** The end of a traffic change: Azure confirmed the new split, or the change could not be made. */
import type { EffectDraft } from '../outbox/types';
import { notifyRequester } from '../promotion/effect-drafts';
import type { PromotionEvent, ReduceContext, ReduceResult } from '../promotion/events';
import { step, unchanged } from '../promotion/step';
import type { PromotionRequest } from '../promotion/types';
import type { RollbackNoticePayload } from '../rollback/effect-drafts';
import { splitText } from './split';

type Ev<T extends PromotionEvent['type']> = Extract<PromotionEvent, { type: T }>;

/** The environment's notification channels hear how it ended (one effect per request and state). */
function notices(r: PromotionRequest, channels: string[], text: string, tone: RollbackNoticePayload['tone']): EffectDraft[] {
  if (channels.length === 0) return [];
  const payload: RollbackNoticePayload = { requestId: r.id, channels, text, tone, title: `Traffic change ${r.id}` };
  return [{ key: `${r.id}:rollback_notice:${r.state}`, kind: 'rollback_notice', payload: payload as unknown as Record<string, unknown> }];
}

export function trafficChanged(r: PromotionRequest, e: Ev<'traffic_switched'>, ctx: ReduceContext): ReduceResult {
  if (r.state !== 'approved' || !r.traffic) return unchanged(r);
  const after = { traffic: e.traffic, mirror: e.mirror ?? r.traffic.after.mirror };
  const text = `${r.traffic.endpoint} in ${r.targetEnv} now serves ${splitText(after)} (traffic change ${r.id}, was ${splitText(r.traffic.before)}).`;
  return step(r, ctx, {
    patch: { state: 'succeeded', traffic: { ...r.traffic, after } },
    action: 'promotion.succeeded', actor: 'system', summary: `traffic on ${r.traffic.endpoint} changed: ${splitText(after)}`,
    detail: { endpoint: r.traffic.endpoint, traffic: after.traffic, mirror: after.mirror },
    effects: (next) => [notifyRequester(next, text, 'good'), ...notices(next, ctx.env.channels.notifications, text, 'good')],
  });
}

export function trafficChangeFailed(r: PromotionRequest, e: Ev<'traffic_failed'>, ctx: ReduceContext): ReduceResult {
  if (r.state !== 'approved' || !r.traffic) return unchanged(r);
  const failure = `the traffic change on ${r.traffic.endpoint} failed: ${e.error}`;
  const again = `traffic ${r.traffic.endpoint} ${r.targetEnv} ${Object.entries(r.traffic.after.traffic).filter(([, p]) => p > 0).map(([d, p]) => `${d}=${p}`).join(' ')}`;
  const text = `Traffic change ${r.id} on ${r.traffic.endpoint} in ${r.targetEnv} failed: ${e.error} Try again with: ${again}`;
  return step(r, ctx, {
    patch: { state: 'failed', failure },
    action: 'promotion.failed', actor: 'system', summary: failure, detail: { endpoint: r.traffic.endpoint },
    effects: (next) => [notifyRequester(next, text, 'attention'), ...notices(next, ctx.env.channels.notifications, text, 'attention')],
  });
}
