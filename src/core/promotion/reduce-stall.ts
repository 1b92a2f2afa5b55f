/**
 * A step the outbox gave up on (after retrying until its deadline) stalls the request: nothing is
 * abandoned silently. The card, the requester and the audit channel say what failed and for how
 * long; an approver or an admin retries it (button or `retry <id>`), which clears the stall while
 * the service makes the step due again.
 */
import { spanText } from '../outbox/deadline';
import { notifyRequesterOnce } from './effect-drafts';
import { refuse, type ReduceContext, type ReduceResult } from './events';
import { step, unchanged } from './step';
import { TERMINAL_STATES, type PromotionRequest } from './types';

const STEP_TEXT: Record<string, string> = {
  start_release: 'the release could not be started',
  ado_decide: 'the decision could not be recorded in Azure DevOps',
  tag_model: 'the model version could not be tagged in Azure ML',
  post_approval_card: 'the approval card could not be posted',
  update_cards: 'the cards could not be updated',
  notify_requester: 'the requester could not be told',
  remind_approvers: 'the approvers could not be reminded',
};

/** "the release could not be started: Azure DevOps failed … (HTTP 503) (failing for 2.5 min)". */
export function stallText(r: Pick<PromotionRequest, 'stall'>): string {
  const s = r.stall;
  if (!s) return '';
  return `${STEP_TEXT[s.step] ?? `step ${s.step} failed`}: ${s.error} (failing for ${spanText(s.failedForMs)})`;
}

export function stalled(r: PromotionRequest, e: { step: string; error: string; failedForMs: number }, ctx: ReduceContext): ReduceResult {
  // An ended request has nothing left to jam; a stall already shown is not shown twice (the
  // effects reporting it may themselves fail while the chat is down).
  if (TERMINAL_STATES.includes(r.state) || r.stall) return unchanged(r);
  const stall = { step: e.step, error: e.error.replace(/^[a-z_]+: /, ''), failedForMs: e.failedForMs, at: ctx.now.toISOString() };
  const text = stallText({ stall });
  return step(r, ctx, {
    patch: { stall },
    action: 'promotion.stalled',
    actor: 'system',
    summary: text,
    detail: { step: e.step },
    effects: (next) => [notifyRequesterOnce(next, `${next.id} is stuck: ${text}. An approver or an admin can press Retry on the card or type: retry ${next.id}`, 'attention')],
  });
}

export function retry(r: PromotionRequest, e: { by: string; name: string; allowed: boolean }, ctx: ReduceContext): ReduceResult {
  if (!e.allowed) return refuse('not_retrier', `${e.name} may not retry ${r.id}.`, `Ask one of the ${r.targetEnv} approvers or an admin.`);
  if (!r.stall) return refuse('nothing_to_retry', `No step of ${r.id} has been given up.`, 'Follow it with: requests');
  const what = stallText(r);
  return step(r, ctx, {
    patch: { stall: undefined },
    action: 'promotion.retried',
    actor: e.by,
    summary: `retried by ${e.name} after ${what}`,
    detail: { step: r.stall.step },
  });
}
