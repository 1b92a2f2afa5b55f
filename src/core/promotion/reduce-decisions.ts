/** Human decisions on a request: approve (N-of-M), reject, cancel. Deny by default. */
import { samePerson } from '../person';
import { goAhead } from '../rollback/effect-drafts';
import { adoDecide, notifyRequester } from './effect-drafts';
import type { PromotionEvent, ReduceContext, ReduceResult } from './events';
import { refuse } from './events';
import { expireOnLateDecision, gateRejectPatch, isExpired } from './reduce-expiry';
import { holdFor } from './reduce-freeze';
import { step, unchanged } from './step';
import type { Decision, PromotionRequest, PromotionState } from './types';

type Ev<T extends PromotionEvent['type']> = Extract<PromotionEvent, { type: T }>;

/** One person may reach the bot from Slack, Teams and the CLI (src/core/person.ts). */
export { samePerson } from '../person';

export function approve(r: PromotionRequest, e: Ev<'approve'>, ctx: ReduceContext): ReduceResult {
  if (!e.isApprover) {
    return refuse('not_approver', `${e.name} is not an approver for ${r.targetEnv}.`, `Ask one of the ${r.targetEnv} approvers to approve ${r.id}.`);
  }
  if (isExpired(r, ctx.now)) return expireOnLateDecision(r, 'approve', ctx);
  // A double click, a retried command or the same person on another surface counts once and changes nothing.
  const approver = { id: e.by, email: e.email, objectId: e.objectId };
  if (r.approvals.some((a) => samePerson({ id: a.by, email: a.email, objectId: a.objectId }, approver))) return unchanged(r);
  if (r.state !== 'awaiting_approval') return notAwaiting(r, 'approve');
  if ((ctx.env.approval?.requesterCannotApprove ?? true) && samePerson(r.requester, approver)) {
    return refuse('self_approval', `You requested ${r.id}, so you cannot approve it.`, `Another ${r.targetEnv} approver has to approve it.`);
  }
  // Only where Azure DevOps holds the gate does it record an approver at all.
  const recorded = r.gate === 'ado';
  if (recorded && e.asApprover === 'human' && !e.linked) {
    return refuse('not_linked',
      `Approvals to ${r.targetEnv} are recorded in Azure DevOps under the approver's own name, and your chat account is not linked to your Entra account yet. Nothing changed.`,
      `Type \`link\`, sign in with your work account, then approve ${r.id} again.`);
  }
  const mode = e.asApprover ?? 'prefer-human';
  const asHuman = recorded && e.linked === true && mode !== 'bot' ? mode : undefined;
  const decision: Decision = {
    by: e.by, name: e.name, at: ctx.now.toISOString(), ...(e.email ? { email: e.email } : {}), ...(e.comment ? { comment: e.comment } : {}),
    ...(e.objectId ? { objectId: e.objectId } : {}), ...(asHuman ? { asHuman } : {}),
  };
  const approvals = [...r.approvals, decision];
  if (approvals.length < r.minApprovals) {
    return step(r, ctx, {
      patch: { approvals },
      action: 'promotion.approval_added',
      actor: e.by,
      summary: `approval ${approvals.length} of ${r.minApprovals} by ${e.name}`,
      detail: { approvals: approvals.length, needed: r.minApprovals, comment: e.comment },
    });
  }
  const held = holdFor(r, ctx);
  if (held) {
    // A freeze started while it waited: approved, but released only when the freeze ends.
    return step(r, ctx, {
      patch: { approvals, state: 'approved', heldBy: held },
      action: 'promotion.approved',
      actor: e.by,
      summary: `approved by ${approvals.map((a) => a.name).join(', ')}; held by a freeze until ${held.until}`,
      detail: { approvals: approvals.length, needed: r.minApprovals, comment: e.comment, heldUntil: held.until },
      effects: (next) => [notifyRequester(next, `${next.id} was approved by ${approvals.map((a) => a.name).join(', ')}; it releases when the freeze on ${next.targetEnv} ends (${held.until}: ${held.reason}).`, 'warning')],
    });
  }
  return step(r, ctx, {
    patch: { approvals, state: 'approved' },
    action: 'promotion.approved',
    actor: e.by,
    summary: `approved by ${approvals.map((a) => a.name).join(', ')}`,
    detail: { approvals: approvals.length, needed: r.minApprovals, comment: e.comment },
    effects: (next) => [
      ...(next.gate === 'bot' ? [goAhead(next)] : adoDecide(next, 'approved')),
      notifyRequester(next, `${next.id} was approved by ${approvals.map((a) => a.name).join(', ')}.`, 'good'),
    ],
  });
}

export function reject(r: PromotionRequest, e: Ev<'reject'>, ctx: ReduceContext): ReduceResult {
  if (!e.isApprover) {
    return refuse('not_approver', `${e.name} is not an approver for ${r.targetEnv}.`, `Only ${r.targetEnv} approvers can reject; the requester can cancel instead.`);
  }
  if (isExpired(r, ctx.now)) return expireOnLateDecision(r, 'reject', ctx);
  const reason = e.reason.trim();
  if (!reason) return refuse('missing_reason', 'A rejection needs a reason.', `Try: reject ${r.id} <reason>`);
  if (r.state === 'rejected' && r.rejection?.by === e.by) return unchanged(r);
  if (r.state !== 'awaiting_approval') return notAwaiting(r, 'reject');
  const rejection: Decision = { by: e.by, name: e.name, at: ctx.now.toISOString(), ...(e.email ? { email: e.email } : {}), comment: reason };
  return step(r, ctx, {
    patch: { state: 'rejected', rejection, ...gateRejectPatch(r) },
    action: 'promotion.rejected',
    actor: e.by,
    summary: `rejected by ${e.name}: ${reason}`,
    detail: { reason },
    effects: (next) => [...adoDecide(next, 'rejected'), notifyRequester(next, `${next.id} was rejected by ${e.name}: ${reason}`, 'attention')],
  });
}

export function cancel(r: PromotionRequest, e: Ev<'cancel'>, ctx: ReduceContext): ReduceResult {
  if (e.by !== r.requester.id && !e.isAdmin) {
    return refuse('not_requester', `Only ${r.requester.name} (the requester) or an admin can cancel ${r.id}.`, `Ask ${r.requester.name} to cancel it, or reject it if you are an approver.`);
  }
  if (isExpired(r, ctx.now)) return expireOnLateDecision(r, 'cancel', ctx);
  if (r.state === 'cancelled' && r.cancellation?.by === e.by) return unchanged(r);
  if (r.state !== 'awaiting_approval') return notAwaiting(r, 'cancel');
  const cancellation: Decision = { by: e.by, name: e.name, at: ctx.now.toISOString() };
  return step(r, ctx, {
    patch: { state: 'cancelled', cancellation, ...gateRejectPatch(r) },
    action: 'promotion.cancelled',
    actor: e.by,
    summary: `cancelled by ${e.name}`,
    effects: (next) => [
      ...adoDecide(next, 'rejected'),
      ...(e.by === r.requester.id ? [] : [notifyRequester(next, `${next.id} was cancelled by ${e.name}.`, 'warning')]),
    ],
  });
}

export { gateRejectPatch } from './reduce-expiry';

const STATE_WORDS: Record<PromotionState, string> = {
  requested: 'is being created',
  blocked: 'was blocked by its guards',
  awaiting_approval: 'is awaiting approval',
  approved: 'is already approved',
  releasing: 'is already approved and releasing',
  succeeded: 'has already succeeded',
  failed: 'has already failed',
  rejected: 'was already rejected',
  expired: 'has expired',
  cancelled: 'was cancelled',
};

function notAwaiting(r: PromotionRequest, verb: string): ReduceResult {
  const remedy = r.state === 'expired' || r.state === 'rejected' || r.state === 'cancelled' || r.state === 'blocked'
    ? `Start a new request with: promote ${r.model} ${r.targetEnv} --version ${r.version}`
    : `See its state with: requests --env ${r.targetEnv}`;
  return refuse('invalid_state', `Cannot ${verb} ${r.id}: it ${STATE_WORDS[r.state]}.`, remedy);
}
