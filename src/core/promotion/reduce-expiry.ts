/**
 * Expiry of a waiting request. It is due from `expiresAt` on, whichever notices it first: the
 * periodic tick, or a decision that arrives late (which is then refused, not counted).
 */
import { adoDecide, notifyRequester } from './effect-drafts';
import type { ReduceContext, Transition } from './events';
import { refuse } from './events';
import { step } from './step';
import type { PromotionRequest } from './types';

/**
 * Rejecting the Azure DevOps gate needs its approval id; when it is not known yet the release poll
 * sends the rejection once it appears (see reduce-release).
 */
export function gateRejectPatch(r: PromotionRequest): Partial<PromotionRequest> {
  return r.gate === 'ado' && r.release?.approvalId ? { gateRejectSent: true } : {};
}

export function isExpired(r: PromotionRequest, now: Date): boolean {
  return r.state === 'awaiting_approval' && r.expiresAt !== undefined && now.getTime() >= Date.parse(r.expiresAt);
}

export function expire(r: PromotionRequest, ctx: ReduceContext): Transition {
  return step(r, ctx, {
    patch: { state: 'expired', ...gateRejectPatch(r) },
    action: 'promotion.expired',
    actor: 'system',
    summary: `expired with ${r.approvals.length} of ${r.minApprovals} approvals`,
    detail: { approvals: r.approvals.length, needed: r.minApprovals },
    effects: (next) => [
      ...adoDecide(next, 'rejected'),
      notifyRequester(next, `${next.id} expired with ${r.approvals.length} of ${r.minApprovals} approvals.`, 'warning'),
    ],
  });
}

/** A decision after the expiry: the request expires now and the decision is refused. */
export function expireOnLateDecision(r: PromotionRequest, verb: 'approve' | 'reject' | 'cancel', ctx: ReduceContext): Transition {
  const at = r.expiresAt!.slice(0, 16).replace('T', ' ');
  const { refused } = refuse('invalid_state',
    `Cannot ${verb} ${r.id}: it expired at ${at} UTC, before your ${verb === 'approve' ? 'approval' : verb === 'reject' ? 'rejection' : 'cancellation'} arrived, so it was not counted.`,
    `Start a new request with: promote ${r.model} ${r.targetEnv} --version ${r.version}`);
  return { ...expire(r, ctx), refusal: refused };
}
