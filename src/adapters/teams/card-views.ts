/**
 * Teams-only touches on the shared cards: a `refresh` on live promotion cards so approvers get their
 * own view (buttons) through Universal Actions, the per-user view itself, a private notice line on
 * top of a card (refusals), and the reason form a Reject click opens.
 */
import type { AdaptiveCard, CardElement } from '../../cards/adaptive-card';
import { renderForTeams, type TeamsAttachment } from '../../cards/render';
import type { CardMessage, PromotionView, RollbackView } from '../../core/cards/views';
import type { Caller } from '../../core/identity';
import type { PromotionRequest } from '../../core/promotion/types';
import { rollbackEnv } from '../../core/rollback/policy';
import { requestCard } from '../../core/rollback/view';
import { findEnvironment, type BotSettings } from '../../core/settings';

/** Teams accepts at most 60 user ids in `refresh.userIds`. */
const MAX_REFRESH_USERS = 60;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Teams user ids (what `refresh.userIds` takes) of the environment's `teams:` approvers: ids written
 * as Teams user ids are used as they are; Entra object ids through the users the bot has seen.
 * Approvers named by email or group are not listed: they see the shared card, whose buttons work too.
 */
export async function approverUserIds(settings: BotSettings, env: string, userIdOf: (aad: string) => Promise<string | undefined>): Promise<string[]> {
  const out = new Set<string>();
  for (const entry of findEnvironment(settings, env)?.approval?.approvers ?? []) {
    if (!entry.toLowerCase().startsWith('teams:')) continue;
    const id = entry.slice('teams:'.length);
    const userId = GUID.test(id) ? await userIdOf(id) : id;
    if (userId) out.add(userId);
  }
  return [...out].slice(0, MAX_REFRESH_USERS);
}

export function withRefresh(attachment: TeamsAttachment, requestId: string, userIds: string[]): TeamsAttachment {
  const content: AdaptiveCard = {
    ...attachment.content,
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { requestId } }, userIds },
  };
  return { ...attachment, content };
}

/** The request id when the message is a request card (promotion or rollback) that still offers a decision. */
export function livePromotion(message: CardMessage): string | null {
  if (message.template !== 'promotion' && message.template !== 'rollback') return null;
  const view = message.data as PromotionView | RollbackView;
  return view.actions.length > 0 ? view.requestId : null;
}

type MayDecide = 'yes' | 'no' | 'unknown';

/** What this user should see: the request's card, with the buttons only while they may still decide. */
export function viewFor(request: PromotionRequest, caller: Caller, settings: BotSettings): CardMessage {
  const message = requestCard(request);
  const view = message.data as PromotionView | RollbackView;
  if (view.actions.length === 0) return message;
  const { verdict, line } = mayDecide(request, caller, settings);
  if (verdict !== 'no') return message;
  return { template: message.template, data: { ...view, actions: [], outcome: `${line} ${view.outcome}`.trim() } } as CardMessage;
}

function mayDecide(r: PromotionRequest, caller: Caller, settings: BotSettings): { verdict: MayDecide; line: string } {
  const mine = (id: string) => id.toLowerCase() === caller.id.toLowerCase();
  if (r.approvals.some((a) => mine(a.by))) return { verdict: 'no', line: 'You approved this request.' };
  const env = findEnvironment(settings, r.targetEnv);
  // A rollback follows its own policy (approval.rollback.selfApprove).
  const policy = (env && r.rollback ? rollbackEnv(env, r.rollback) : env)?.approval;
  if (policy?.requesterCannotApprove !== false && mine(r.requester.id)) return { verdict: 'no', line: 'You requested this; another approver decides.' };
  const approvers = policy?.approvers ?? [];
  if (approvers.some(mine)) return { verdict: 'yes', line: '' };
  // Emails and groups need the directory: the click itself is checked by the bot either way.
  if (approvers.some((a) => a.toLowerCase().startsWith('group:') || !a.includes(':'))) return { verdict: 'unknown', line: '' };
  return { verdict: 'no', line: `Only the approvers of ${r.targetEnv} decide.` };
}

export function promotionAttachment(request: PromotionRequest, caller: Caller, settings: BotSettings): TeamsAttachment {
  return renderForTeams(viewFor(request, caller, settings));
}

/** A line for the invoking user only, on top of the card (Teams has no ephemeral messages). */
export function withNotice(attachment: TeamsAttachment, title: string, text: string): TeamsAttachment {
  const notice: CardElement = {
    type: 'Container', style: 'warning',
    items: [
      { type: 'TextBlock', text: title, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text, wrap: true, spacing: 'None' },
    ],
  };
  return { ...attachment, content: { ...attachment.content, body: [notice, ...attachment.content.body] } };
}

/** The Reject click's answer: the same card plus a reason box and a confirming Reject button. */
export function withReasonForm(attachment: TeamsAttachment, requestId: string): TeamsAttachment {
  const body = attachment.content.body.filter((e) => e.type !== 'ActionSet' || !(e.actions ?? []).some((a) => a.type === 'Action.Execute'));
  const form: CardElement[] = [
    { type: 'Input.Text', id: 'reason', label: 'Why reject?', placeholder: 'e.g. rmse regressed on the holdout set', isMultiline: true, isRequired: true, errorMessage: 'A rejection needs a reason.', maxLength: 500 },
    {
      type: 'ActionSet',
      actions: [{
        type: 'Action.Execute', title: 'Reject', verb: 'reject', style: 'destructive', data: { requestId }, associatedInputs: 'auto',
        fallback: { type: 'Action.Submit', title: 'Reject', style: 'destructive', data: { requestId, verb: 'reject' } },
      }],
    },
  ];
  return { ...attachment, content: { ...attachment.content, body: [...body, ...form] } };
}

export function adaptiveCardAnswer(attachment: TeamsAttachment): { statusCode: 200; type: string; value: AdaptiveCard } {
  return { statusCode: 200, type: attachment.contentType, value: attachment.content };
}
