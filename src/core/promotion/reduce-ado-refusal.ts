/**
 * Azure DevOps refused the person whose approval the bot passed on with their own token (DESIGN
 * 9.6): their approval is taken back, the request is open again, and the card says why in plain
 * words. Nothing was granted in Azure DevOps, so nothing there needs undoing.
 */
import { notifyRequesterOnce } from './effect-drafts';
import type { PromotionEvent, ReduceContext, ReduceResult } from './events';
import { step, unchanged } from './step';
import type { AdoRefusal, PromotionRequest } from './types';

type Refused = Extract<PromotionEvent, { type: 'ado_refused' }>;

export function adoRefused(r: PromotionRequest, e: Refused, ctx: ReduceContext): ReduceResult {
  // Decided some other way meanwhile (in the Azure DevOps web UI, or rejected): nothing to reopen.
  if (r.state !== 'approved') return unchanged(r);
  const refusedDecision = r.approvals.find((a) => a.by === e.by);
  const name = refusedDecision?.name ?? e.by;
  const refusal: AdoRefusal = { by: e.by, name, reason: e.reason, detail: e.detail, at: ctx.now.toISOString(), count: (r.adoRefusal?.count ?? 0) + 1 };
  const approvals = r.approvals.filter((a) => a.by !== e.by);
  const text = adoRefusalText(r, refusal);
  return step(r, ctx, {
    patch: { state: 'awaiting_approval', approvals, adoRefusal: refusal, heldBy: undefined },
    action: 'promotion.ado_refused',
    actor: e.by,
    summary: `Azure DevOps refused the approval of ${name} (${e.reason}); awaiting approval again`,
    detail: { reason: e.reason, upstream: e.detail.slice(0, 300), approvals: approvals.length, needed: r.minApprovals },
    effects: (next) => [notifyRequesterOnce(next, text, 'attention')],
  });
}

const WHY: Record<AdoRefusal['reason'], (name: string) => string> = {
  not_approver: (n) => `${n} is not an approver of this stage in Azure DevOps`,
  revalidate: (n) => `Azure DevOps asks ${n} to sign in again before approving (revalidate identity)`,
  token_refused: (n) => `Azure DevOps did not accept ${n}'s sign-in (it expired or was revoked)`,
  not_linked: (n) => `${n}'s chat account is no longer linked to an Entra account`,
};

const FIX: Record<AdoRefusal['reason'], (name: string) => string> = {
  not_approver: (n) => `an Azure DevOps project admin can add ${n} to the stage's approvers`,
  revalidate: (n) => `${n} can type \`link\` to sign in again`,
  token_refused: (n) => `${n} can type \`link\` to sign in again`,
  not_linked: (n) => `${n} can type \`link\``,
};

/** The card's and the requester's line: what Azure DevOps refused, and the way forward. */
export function adoRefusalText(r: Pick<PromotionRequest, 'id'>, a: AdoRefusal): string {
  return `Azure DevOps refused the approval of ${a.name}: ${WHY[a.reason](a.name)}. ${r.id} is still open: ${FIX[a.reason](a.name)} and approve again, or another approver can approve.`;
}
