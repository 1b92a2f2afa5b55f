/**
 * Action.Execute clicks and refreshes, answered through the invoke response: the card returned
 * replaces the card for the invoking user only, so refusals and per-user views stay private.
 * `core.act` only records the decision (Azure DevOps work runs in the outbox), so answers are quick;
 * everyone else sees the result when the outbox's update_cards edits the message.
 */
import { renderForTeams, type TeamsAttachment } from '../../cards/render';
import { card } from '../../core/cards/views';
import type { Outcome } from '../../core/commands/types';
import type { PromotionRequest } from '../../core/promotion/types';
import { buildRolloutView } from '../../core/rollout/view';
import { adaptiveCardAnswer, approverUserIds, promotionAttachment, withNotice, withReasonForm, withRefresh } from './card-views';
import type { Inbound } from './inbound';
import type { Ctx } from './turn-handler';

type Action = Extract<Inbound, { kind: 'action' }>;

export async function executeAction(ctx: Ctx, action: Action): Promise<void> {
  const requestId = typeof action.data.requestId === 'string' ? action.data.requestId : '';
  const request = requestId ? await ctx.core.store.getRequest(requestId) : null;
  if (action.verb === 'refresh') {
    const attachment = request
      ? await userCard(ctx, request)
      : renderForTeams(card('notice', { title: 'Unknown request', text: `There is no promotion request ${requestId || '(none given)'}.`, tone: 'warning' }));
    return ctx.turn.answer(200, adaptiveCardAnswer(attachment));
  }
  const form = await reasonFormIfNeeded(ctx, action, request);
  if (form) return ctx.turn.answer(200, adaptiveCardAnswer(form));
  const outcome = await ctx.core.act({ verb: action.verb, data: action.data, caller: ctx.caller, channel: ctx.channel, correlationId: ctx.correlationId });
  ctx.log.info({ verb: action.verb, requestId, status: outcome.status }, 'Teams card action');
  const rollout = await rolloutCard(ctx, action, outcome);
  return ctx.turn.answer(200, adaptiveCardAnswer(rollout ?? await answerCard(ctx, outcome, request)));
}

/** A rollout card's button: the clicker keeps the rollout card as it is now, with a refusal on top when refused. */
async function rolloutCard(ctx: Ctx, action: Action, outcome: Outcome): Promise<TeamsAttachment | null> {
  const id = typeof action.data.rolloutId === 'string' ? action.data.rolloutId : '';
  const rollout = id && action.verb.startsWith('rollout-') ? await ctx.core.store.getRollout(id) : null;
  if (!rollout) return null;
  const attachment = await ctx.render(card('rollout', buildRolloutView(rollout)));
  if (outcome.status === 'ok') return attachment;
  const { title, text } = noticeText(outcome);
  return withNotice(attachment, title, text);
}

/**
 * A Reject click carries no reason: ask the core first (it refuses non-approvers, and says a reason
 * is missing to approvers); only then show the reason box. The second click carries `reason`.
 */
export async function reasonFormIfNeeded(ctx: Ctx, action: Action, request: PromotionRequest | null): Promise<TeamsAttachment | null> {
  if (action.verb !== 'reject' || !request) return null;
  if (typeof action.data.reason === 'string' && action.data.reason.trim() !== '') return null;
  const probe = await ctx.core.act({ verb: 'reject', data: { requestId: request.id }, caller: ctx.caller, channel: ctx.channel, correlationId: ctx.correlationId });
  if (probe.status !== 'invalid') return answerCard(ctx, probe, request);
  return withReasonForm(promotionAttachment(request, ctx.caller, ctx.core.settings), request.id);
}

/**
 * The promotion card as this user should see it now, with a refusal line on top when refused. A
 * refusal before any handler ran names no request: the clicked card's request stands in, so the
 * user keeps the card rather than a bare notice.
 */
async function answerCard(ctx: Ctx, outcome: Outcome, clicked: PromotionRequest | null): Promise<TeamsAttachment> {
  const request = outcome.requestId ? await ctx.core.store.getRequest(outcome.requestId) : clicked;
  if (!request) return ctx.render(outcome.reply);
  const attachment = await userCard(ctx, request);
  if (outcome.status === 'ok') return attachment;
  const { title, text } = noticeText(outcome);
  return withNotice(attachment, title, text);
}

async function userCard(ctx: Ctx, request: PromotionRequest): Promise<TeamsAttachment> {
  const attachment = promotionAttachment(request, ctx.caller, ctx.core.settings);
  if (request.state !== 'awaiting_approval') return attachment;
  return withRefresh(attachment, request.id, await approverUserIds(ctx.core.settings, request.targetEnv, (aad) => ctx.book.userIdOf(aad)));
}

function noticeText(outcome: Outcome): { title: string; text: string } {
  const d = outcome.reply.data as { title?: string; text?: string; message?: string; remedy?: string };
  return { title: d.title ?? 'Not possible', text: d.text ?? [d.message, d.remedy].filter(Boolean).join(' ') };
}
