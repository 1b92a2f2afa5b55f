/** The end of a traffic rollback: Azure confirmed the new split, or the change could not be made. */
import type { PromotionEvent, ReduceContext, ReduceResult } from '../promotion/events';
import { notifyRequester, tagModel } from '../promotion/effect-drafts';
import { step, unchanged } from '../promotion/step';
import type { PromotionRequest } from '../promotion/types';
import { rollbackNotices } from './effect-drafts';

type Ev<T extends PromotionEvent['type']> = Extract<PromotionEvent, { type: T }>;

export function trafficSwitched(r: PromotionRequest, e: Ev<'traffic_switched'>, ctx: ReduceContext): ReduceResult {
  if (r.state !== 'approved' || !r.rollback) return unchanged(r);
  const split = Object.entries(e.traffic).map(([d, p]) => `${d} ${p}%`).join(', ');
  const text = `${r.model} v${r.version} serves ${r.targetEnv} again: ${e.endpoint} traffic is now ${split} (rollback ${r.id}${r.rollback.fromVersion ? ` from v${r.rollback.fromVersion}` : ''}).`;
  return step(r, ctx, {
    patch: { state: 'succeeded', rollback: { ...r.rollback, trafficAfter: e.traffic } },
    action: 'promotion.succeeded', actor: 'system', summary: `traffic on ${e.endpoint} switched: ${split}`,
    detail: { endpoint: e.endpoint, traffic: e.traffic },
    effects: (next) => [
      ...(r.rollback?.tagSource ? [tagModel(next, ctx.now)] : []),
      notifyRequester(next, text, 'good'),
      ...rollbackNotices(next, ctx.env.channels.notifications, text, 'good'),
    ],
  });
}

export function trafficFailed(r: PromotionRequest, e: Ev<'traffic_failed'>, ctx: ReduceContext): ReduceResult {
  if (r.state !== 'approved' || !r.rollback) return unchanged(r);
  const failure = `the traffic switch on ${r.rollback.endpoint} failed: ${e.error}`;
  const text = `Rollback ${r.id} of ${r.model} in ${r.targetEnv} failed: ${e.error} Try again with: rollback ${r.model} ${r.targetEnv} --to ${r.version}`;
  return step(r, ctx, {
    patch: { state: 'failed', failure },
    action: 'promotion.failed', actor: 'system', summary: failure, detail: { endpoint: r.rollback.endpoint },
    effects: (next) => [notifyRequester(next, text, 'attention'), ...rollbackNotices(next, ctx.env.channels.notifications, text, 'attention')],
  });
}
