/**
 * The promotion lifecycle as a pure function (DESIGN §3): given a request, an event and the target
 * environment's settings, decide the next request, its audit drafts and its effects — or refuse.
 * No I/O here; the service loads, persists and retries.
 */
import { extraApprovals } from '../policy/escalation';
import type { AuditDraft } from '../audit/types';
import { goAhead } from '../rollback/effect-drafts';
import { trafficFailed, trafficSwitched } from '../rollback/reduce-traffic';
import { trafficChangeFailed, trafficChanged } from '../traffic/reduce';
import { postApprovalCard, startRelease } from './effect-drafts';
import type { NewRequestDraft, OrderCheck, PromotionEvent, ReduceContext, ReduceResult, Transition } from './events';
import { refuse } from './events';
import { adoRefused } from './reduce-ado-refusal';
import { approve, cancel, reject } from './reduce-decisions';
import { releaseStarted, releaseStatus } from './reduce-release';
import { retry, stalled } from './reduce-stall';
import { tick } from './reduce-tick';
import { auditDraft } from './step';
import type { GuardResult, PromotionRequest } from './types';

export function reduce(request: PromotionRequest | null, event: PromotionEvent, ctx: ReduceContext): ReduceResult {
  if (event.type === 'create') {
    if (request) return refuse('duplicate_request', `Request ${request.id} already exists.`, 'Use a new request id.');
    return create(event.draft, event.guard, event.order, ctx);
  }
  if (!request) throw new Error(`reduce: ${event.type} needs an existing request`);
  switch (event.type) {
    case 'approve': return approve(request, event, ctx);
    case 'reject': return reject(request, event, ctx);
    case 'cancel': return cancel(request, event, ctx);
    case 'tick': return tick(request, ctx);
    case 'release_started': return releaseStarted(request, event.ref, ctx);
    case 'release_status': return releaseStatus(request, event.status, ctx);
    case 'stalled': return stalled(request, event, ctx);
    case 'retry': return retry(request, event, ctx);
    case 'traffic_switched': return request.traffic ? trafficChanged(request, event, ctx) : trafficSwitched(request, event, ctx);
    case 'traffic_failed': return request.traffic ? trafficChangeFailed(request, event, ctx) : trafficFailed(request, event, ctx);
    case 'ado_refused': return adoRefused(request, event, ctx);
  }
}

function create(draft: NewRequestDraft, guard: GuardResult | undefined, order: OrderCheck, ctx: ReduceContext): Transition {
  const now = ctx.now.toISOString();
  const policy = ctx.env.approval;
  const base: PromotionRequest = {
    ...draft,
    revision: 1,
    state: 'requested',
    approvals: [],
    // Break glass and a guard override each ask one approval more than usual.
    minApprovals: (policy?.minApprovals ?? 0) + extraApprovals(draft.escalation),
    createdAt: now,
    updatedAt: now,
    remindersSent: 0,
    ...(guard ? { guard } : {}),
    ...(policy ? { gate: policy.enforcedBy } : {}),
  };
  const overridden = draft.escalation?.overrideGuard !== undefined;
  const blockedBy = !order.allowed ? order.reason : guard && !guard.passed && !overridden ? guard.reason : undefined;
  if (blockedBy !== undefined) {
    const r: PromotionRequest = { ...base, state: 'blocked', failure: blockedBy };
    return finish(r, 'promotion.blocked', `blocked: ${blockedBy}`, [], ctx, { order: order.reason, guard: guard?.reason });
  }
  if (policy) {
    const r: PromotionRequest = { ...base, state: 'awaiting_approval', expiresAt: new Date(ctx.now.getTime() + policy.expiresAfterMs).toISOString() };
    const effects = [postApprovalCard(r, ctx.env.channels.approvals), ...(policy.enforcedBy === 'ado' ? [startRelease(r)] : [])];
    return finish(r, 'promotion.requested', `requested by ${r.requester.name}, awaiting approval`, effects, ctx, { guard: guard?.reason });
  }
  const r: PromotionRequest = { ...base, state: 'approved' };
  return finish(r, 'promotion.requested', `requested by ${r.requester.name}, no approval needed`, [goAhead(r)], ctx, { guard: guard?.reason });
}

function finish(
  r: PromotionRequest, action: string, summary: string, effects: Transition['effects'], ctx: ReduceContext, detail: Record<string, unknown>,
): Transition {
  const audit = [auditDraft(r, action, r.requester.id, { reason: r.reason, summary, rule: r.rule, ...detail })];
  return { request: r, effects, audit: r.state === 'blocked' ? audit : [...audit, ...escalationAudit(r)] };
}

/** Overrides and break glass are audited as such, each with its reason, beside the request itself. */
function escalationAudit(r: PromotionRequest): AuditDraft[] {
  const e = r.escalation;
  const out: AuditDraft[] = [];
  if (e?.overrideGuard) {
    out.push(auditDraft(r, 'promotion.guard_overridden', r.requester.id, {
      summary: `guard overridden by ${r.requester.name}: ${e.overrideGuard.regression}`, reason: e.overrideGuard.reason, needed: r.minApprovals,
    }));
  }
  if (e?.breakGlass) {
    out.push(auditDraft(r, 'promotion.break_glass', r.requester.id, {
      summary: `break glass by ${r.requester.name}: ${e.breakGlass.freeze}`, reason: e.breakGlass.reason, needed: r.minApprovals,
    }));
  }
  return out;
}
