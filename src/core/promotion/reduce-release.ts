/**
 * Azure DevOps is the system of record: the request follows what the release reports, including
 * decisions someone made in the Azure DevOps web UI instead of through the bot.
 */
import type { ReleaseRef, ReleaseStatus } from '../models';
import { rollbackNotices } from '../rollback/effect-drafts';
import { adoDecide, notifyRequester, tagModel } from './effect-drafts';
import type { ReduceContext, ReduceResult } from './events';
import { step, unchanged } from './step';
import type { PromotionRequest } from './types';

const ENDED_WITHOUT_APPROVAL = ['rejected', 'cancelled', 'expired'];

export function releaseStarted(r: PromotionRequest, ref: ReleaseRef, ctx: ReduceContext): ReduceResult {
  if (r.release && r.release.id === ref.id && r.release.kind === ref.kind) return unchanged(r);
  const label = releaseLabel(ref);
  return step(r, ctx, {
    patch: { release: { ...ref }, ...(r.state === 'approved' ? { state: 'releasing' as const } : {}) },
    action: 'promotion.release_started',
    actor: 'system',
    summary: `${label} started`,
    detail: { release: ref.id, kind: ref.kind },
  });
}

export function releaseStatus(r: PromotionRequest, s: ReleaseStatus, ctx: ReduceContext): ReduceResult {
  const known = r.release?.approvalId;
  const release = { ...(r.release ?? s.ref), lastState: s.state, ...(s.pendingApprovalId ? { approvalId: s.pendingApprovalId } : {}) };
  const label = releaseLabel(release);
  const by = s.decidedBy ?? 'someone in Azure DevOps';
  const detail = { release: release.id, releaseState: s.state, decidedBy: s.decidedBy };
  const record = (summary: string, extra: Partial<PromotionRequest> = {}) =>
    step(r, ctx, { patch: { release, ...extra }, action: 'promotion.release_progress', actor: 'system', summary, detail });
  const moved = r.release?.lastState !== s.state || (s.pendingApprovalId !== undefined && s.pendingApprovalId !== known);

  if (ENDED_WITHOUT_APPROVAL.includes(r.state)) {
    // The gate appeared after the request ended: reject it so the release does not wait forever.
    if (r.gate === 'ado' && !r.gateRejectSent && s.state === 'awaiting_approval' && s.pendingApprovalId) {
      return step(r, ctx, {
        patch: { release, gateRejectSent: true },
        action: 'promotion.gate_rejected', actor: 'system', summary: `${label} gate rejected`, detail,
        effects: (next) => adoDecide(next, 'rejected'),
      });
    }
    return unchanged(r);
  }
  if (!['awaiting_approval', 'approved', 'releasing'].includes(r.state)) return unchanged(r);

  const fromGate = r.state === 'awaiting_approval';
  // An approval is recorded only when Azure DevOps names a decision; a release that finished
  // without one is followed (it is the system of record) and audited as such.
  const adoApproval = fromGate && s.decidedBy ? { adoDecision: { decision: 'approved' as const, by, at: ctx.now.toISOString() } } : {};
  switch (s.state) {
    case 'queued':
      return moved ? record(`${label} queued`) : unchanged(r);
    case 'awaiting_approval':
      if (!moved) return unchanged(r);
      // Held by a freeze: the gate waits; the clock grants it when the freeze ends.
      if (r.state === 'approved' && s.pendingApprovalId && !known && !r.heldBy) {
        // Approved in chat before the gate was known: grant it now.
        return step(r, ctx, {
          patch: { release }, action: 'promotion.release_progress', actor: 'system', summary: `${label} waiting at its gate`, detail,
          effects: (next) => adoDecide(next, 'approved'),
        });
      }
      return record(`${label} waiting at its gate`);
    case 'in_progress':
      if (r.state === 'releasing') return moved ? record(`${label} deploying`) : unchanged(r);
      // Running is not approving: only a decision Azure DevOps reports on the target stage's gate
      // (decidedBy) stands in for the chat approval; otherwise the request keeps waiting for it.
      if (fromGate && !s.decidedBy) return moved ? record(`${label} running, no approval recorded in Azure DevOps`) : unchanged(r);
      return step(r, ctx, {
        patch: { release, state: 'releasing', ...adoApproval },
        action: fromGate ? 'promotion.approved_in_ado' : 'promotion.releasing',
        actor: fromGate ? `ado:${by}` : 'system',
        summary: fromGate ? `approved in Azure DevOps by ${by}, ${label} deploying` : `${label} deploying`,
        detail,
        effects: (next) => fromGate ? [notifyRequester(next, `${next.id} was approved in Azure DevOps by ${by}; ${label} is deploying.`, 'good')] : [],
      });
    case 'succeeded':
      return step(r, ctx, {
        patch: { release, state: 'succeeded', ...adoApproval },
        action: 'promotion.succeeded', actor: 'system', detail,
        summary: fromGate && !s.decidedBy ? `${label} succeeded without an approval recorded in chat or Azure DevOps` : `${label} succeeded`,
        effects: (next) => [
          tagModel(next, ctx.now),
          notifyRequester(next, `${next.model} v${next.version} now runs in ${next.targetEnv} (${label} succeeded).`, 'good'),
          ...rollbackNotices(next, ctx.env.channels.notifications, `${next.model} v${next.version} runs in ${next.targetEnv} again (rollback ${next.id}, ${label} succeeded).`, 'good'),
        ],
      });
    case 'failed':
    case 'canceled': {
      const failure = s.error ?? `${label} ${s.state === 'failed' ? 'failed' : 'was canceled'} in Azure DevOps`;
      return step(r, ctx, {
        patch: { release, state: 'failed', failure },
        action: 'promotion.failed', actor: 'system', summary: failure, detail,
        effects: (next) => [notifyRequester(next, `${next.id} failed: ${failure}`, 'attention')],
      });
    }
    case 'rejected': {
      const rejection = r.rejection ?? { by: `ado:${by}`, name: by, at: ctx.now.toISOString(), comment: 'rejected in Azure DevOps' };
      return step(r, ctx, {
        patch: { release, state: 'rejected', rejection, gateRejectSent: true, adoDecision: { decision: 'rejected', by, at: ctx.now.toISOString() } },
        action: 'promotion.rejected_in_ado', actor: `ado:${by}`, summary: `rejected in Azure DevOps by ${by}`, detail,
        effects: (next) => [notifyRequester(next, `${next.id} was rejected in Azure DevOps by ${by}.`, 'attention')],
      });
    }
  }
}

/** The same words the card uses: `release 42` (classic) or `run 42` (YAML pipeline). */
function releaseLabel(ref: ReleaseRef): string {
  return `${ref.kind === 'pipeline' ? 'run' : 'release'} ${ref.id}`;
}
