/** The promotion card's data, from a request alone: the same view for every card of the request. */
import type { Fact, PromotionView } from '../cards/views';
import { fmtNumber, fmtPercent } from './format';
import { adoRefusalText } from './reduce-ado-refusal';
import { stallText } from './reduce-stall';
import { TERMINAL_STATES, type PromotionRequest, type PromotionState } from './types';

const LABELS: Record<PromotionState, string> = {
  requested: 'Requested',
  blocked: 'Blocked',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  releasing: 'Releasing',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

const TONES: Record<PromotionState, PromotionView['tone']> = {
  requested: 'info', awaiting_approval: 'warning', approved: 'info', releasing: 'info', succeeded: 'good',
  blocked: 'attention', failed: 'attention', rejected: 'attention', expired: 'warning', cancelled: 'warning',
};

export function stateLabel(r: PromotionRequest): string {
  if (r.stall && !TERMINAL_STATES.includes(r.state)) return `Stuck: ${LABELS[r.state].toLowerCase()}, needs a retry`;
  if (r.state === 'awaiting_approval') return `Awaiting approval (${r.approvals.length} of ${r.minApprovals})`;
  return LABELS[r.state];
}

export function buildPromotionView(r: PromotionRequest, opts: { dryRun?: boolean } = {}): PromotionView {
  const live = !opts.dryRun && r.state === 'awaiting_approval';
  const stuck = !opts.dryRun && r.stall !== undefined && !TERMINAL_STATES.includes(r.state);
  return {
    // A dry run's id was never stored; the card must not suggest otherwise.
    requestId: opts.dryRun ? '(dry run, not created)' : r.id,
    title: `${r.escalation?.breakGlass ? 'BREAK GLASS: ' : ''}Promote ${r.model} v${r.version} to ${r.targetEnv}`,
    stateLabel: opts.dryRun ? `Dry run: would be ${stateLabel(r).toLowerCase()}` : stateLabel(r),
    tone: stuck ? 'attention' : TONES[r.state],
    facts: facts(r),
    guard: guardRows(r),
    actions: live
      ? [
          { verb: 'approve', title: 'Approve', data: { requestId: r.id }, style: 'positive' },
          { verb: 'reject', title: 'Reject', data: { requestId: r.id }, style: 'destructive' },
          ...(stuck ? [RETRY(r)] : []),
        ]
      : stuck ? [RETRY(r)] : [],
    outcome: opts.dryRun ? dryRunOutcome(r) : outcomeLine(r),
    notice: stuck ? `Stuck: ${stallText(r)}. An approver or an admin can press Retry or type: retry ${r.id}` : live && r.adoRefusal ? adoRefusalText(r, r.adoRefusal) : '',
    links: r.release?.url ? [{ title: `Open ${releaseLabel(r)}`, url: r.release.url }] : [],
  };
}

const RETRY = (r: PromotionRequest): PromotionView['actions'][number] => ({ verb: 'retry', title: 'Retry', data: { requestId: r.id } });

/** The request id is not a fact: the template shows it on its own line. */
function facts(r: PromotionRequest): Fact[] {
  // What approvers must weigh comes first: the regression they are asked to accept, the freeze broken.
  const out: Fact[] = [...escalationFacts(r)];
  out.push({ title: 'Requested by', value: r.requester.name });
  out.push({ title: 'Version', value: `${r.model} v${r.version} (${r.sourceEnv} → ${r.targetEnv})` });
  if (r.reason) out.push({ title: 'Reason', value: r.reason });
  // A blocked request never reached approval: "0 of 1" would suggest it is waiting for someone.
  if (r.minApprovals > 0 && r.state !== 'blocked') out.push({ title: 'Approvals', value: approvalsFact(r) });
  if (r.expiresAt && r.state === 'awaiting_approval') out.push({ title: 'Expires', value: utc(r.expiresAt) });
  if (r.rule) out.push({ title: 'Model rule', value: r.rule });
  if (r.release) out.push({ title: 'Release', value: `${releaseLabel(r)}${r.release.lastState ? ` (${r.release.lastState.replace('_', ' ')})` : ''}` });
  return out;
}

function escalationFacts(r: PromotionRequest): Fact[] {
  const out: Fact[] = [];
  const e = r.escalation;
  if (e?.overrideGuard) out.push({ title: 'Guard overridden', value: `${e.overrideGuard.regression} — ${e.overrideGuard.reason} (one approval more)` });
  if (e?.breakGlass) out.push({ title: 'Break glass', value: `${e.breakGlass.freeze} — ${e.breakGlass.reason} (one approval more)` });
  if (r.heldBy && (r.state === 'awaiting_approval' || r.state === 'approved')) {
    out.push({ title: 'Frozen', value: `cannot release until ${r.heldBy.until}: ${r.heldBy.reason}` });
  }
  return out;
}

function approvalsFact(r: PromotionRequest): string {
  const names = r.approvals.map((a) => (a.comment ? `${a.name} ("${a.comment}")` : a.name));
  return `${r.approvals.length} of ${r.minApprovals}${names.length ? `: ${names.join(', ')}` : ''}`;
}

function guardRows(r: PromotionRequest): PromotionView['guard'] {
  const g = r.guard;
  if (!g) return { verdict: `none configured for ${r.targetEnv}`, rows: [] };
  const baseline = g.baseline === undefined ? (g.baselineVersion ? `— (v${g.baselineVersion})` : '—') : `${fmtNumber(g.baseline)} (v${g.baselineVersion})`;
  const delta = g.regression === undefined ? '—' : g.regression === 0 ? '0%' : `${g.regression > 0 ? 'worse' : 'better'} ${fmtPercent(Math.abs(g.regression))}`;
  return {
    // The template reads "Guard: <verdict>".
    verdict: `${g.passed ? 'passed' : r.escalation?.overrideGuard ? 'failed, overridden' : 'failed'} — ${g.reason}${g.origin?.startsWith('models[') ? ` (rule ${g.origin})` : ''}`,
    rows: [{ label: `${g.metric} (${g.goal}, tolerance ${fmtPercent(g.tolerance)})`, candidate: fmtNumber(g.candidate), baseline, delta }],
  };
}

function outcomeLine(r: PromotionRequest): string {
  const approvedBy = r.adoDecision?.decision === 'approved'
    ? `Approved in Azure DevOps by ${r.adoDecision.by}`
    : r.approvals.length > 0 ? `Approved by ${r.approvals.map((a) => a.name).join(', ')}` : '';
  const prefix = approvedBy ? `${approvedBy} — ` : '';
  const rel = releaseLabel(r);
  switch (r.state) {
    case 'requested': return '';
    case 'awaiting_approval': {
      const left = r.minApprovals - r.approvals.length;
      return `Waiting for ${left} more approval${left === 1 ? '' : 's'}.`;
    }
    case 'approved': return r.heldBy ? `${prefix}held by a freeze until ${r.heldBy.until}` : `${prefix}starting the release`;
    case 'releasing': return `${prefix}${rel} deploying`;
    case 'succeeded': return `${prefix}${rel} succeeded; v${r.version} now runs in ${r.targetEnv}`;
    case 'failed': return `${prefix}${r.failure ?? `${rel} failed`}`;
    case 'blocked': return `Blocked: ${r.failure ?? 'a guard failed'}`;
    case 'rejected': return `Rejected by ${r.rejection?.name ?? 'an approver'}: ${r.rejection?.comment ?? 'no reason given'}`;
    case 'expired': return `Expired with ${r.approvals.length} of ${r.minApprovals} approvals`;
    case 'cancelled': return `Cancelled by ${r.cancellation?.name ?? 'the requester'}`;
  }
}

/** A dry run that would be blocked says why (promotion order or guard), as the real request would. */
function dryRunOutcome(r: PromotionRequest): string {
  const unchanged = 'Dry run: nothing was created or changed.';
  return r.state === 'blocked' ? `Would be blocked: ${r.failure ?? 'a guard failed'}. ${unchanged}` : unchanged;
}

function releaseLabel(r: PromotionRequest): string {
  if (!r.release) return 'the release';
  return r.release.kind === 'pipeline' ? `run ${r.release.id}` : `release ${r.release.id}`;
}

function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
