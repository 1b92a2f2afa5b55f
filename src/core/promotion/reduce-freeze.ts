/**
 * Requests and freezes (DESIGN §9.5): a request that was waiting when a freeze started cannot
 * release until the freeze ends. The promotion clock marks it held (the card says until when) and,
 * once the freeze is over, releases an approved one. Break glass requests are never held.
 */
import { goAhead } from '../rollback/effect-drafts';
import { adoDecide, notifyRequester } from './effect-drafts';
import type { ReduceContext, ReduceResult } from './events';
import { step, unchanged } from './step';
import type { PromotionRequest } from './types';
import { utcText } from '../policy/freeze-check';
import { isFreezeExempt } from '../rollback/policy';

export function holdFor(r: PromotionRequest, ctx: ReduceContext): PromotionRequest['heldBy'] {
  // Rollbacks go ahead in a freeze (DESIGN 9.3): going back is how a freeze is kept safe.
  if (!ctx.freeze || r.escalation?.breakGlass || isFreezeExempt(r)) return undefined;
  return { freezeId: ctx.freeze.id, reason: ctx.freeze.reason, until: utcText(ctx.freeze.end) };
}

/** The clock's part: hold, re-hold (the freeze was extended) or release. Undefined: nothing to do here. */
export function freezeTick(r: PromotionRequest, ctx: ReduceContext): ReduceResult | undefined {
  const held = holdFor(r, ctx);
  if (r.state === 'approved' && r.heldBy) {
    if (held) return sameHold(r.heldBy, held) ? unchanged(r) : hold(r, ctx, held);
    return step(r, ctx, {
      patch: { heldBy: undefined },
      action: 'promotion.freeze_over', actor: 'system',
      summary: `the freeze on ${r.targetEnv} ended; releasing`,
      effects: (next) => [
        // A traffic change held by the freeze makes its change now (goAhead), a promotion releases.
        ...(next.gate === 'ado' ? adoDecide(next, 'approved') : [goAhead(next)]),
        notifyRequester({ ...next, state: 'releasing' }, `The freeze on ${next.targetEnv} ended; ${next.id} is releasing.`, 'good'),
      ],
    });
  }
  if (r.state !== 'awaiting_approval') return undefined;
  if (held && !(r.heldBy && sameHold(r.heldBy, held))) return hold(r, ctx, held);
  if (!held && r.heldBy) {
    return step(r, ctx, { patch: { heldBy: undefined }, action: 'promotion.freeze_over', actor: 'system', summary: `the freeze on ${r.targetEnv} ended` });
  }
  return undefined;
}

function sameHold(a: NonNullable<PromotionRequest['heldBy']>, b: NonNullable<PromotionRequest['heldBy']>): boolean {
  return a.freezeId === b.freezeId && a.until === b.until;
}

function hold(r: PromotionRequest, ctx: ReduceContext, held: NonNullable<PromotionRequest['heldBy']>): ReduceResult {
  return step(r, ctx, {
    patch: { heldBy: held },
    action: 'promotion.held', actor: 'system',
    summary: `held by a freeze of ${r.targetEnv} until ${held.until}: ${held.reason}`,
    detail: { freeze: held.freezeId, until: held.until },
  });
}
