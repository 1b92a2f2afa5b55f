/**
 * The effects a promotion transition can ask for. Keys are deterministic per request (and per
 * revision where an effect may legitimately repeat), so recording a transition twice, or retrying
 * it after a crash, never doubles a release, an Azure DevOps decision or a card.
 *
 * Anything posted to several channels is recorded as one effect per channel (`perChannel`), so a
 * channel that fails is retried on its own and never holds back the others. Audit entries reach
 * the audit channels through the audit fan-out (src/core/audit/fan-out.ts), like every other entry.
 */
import type { ReleaseRef } from '../models';
import type { EffectDraft } from '../outbox/types';
import type { PromotionRequest } from './types';

export const PROMOTION_EFFECTS = [
  'post_approval_card',
  'update_cards',
  'start_release',
  'ado_decide',
  'tag_model',
  'notify_requester',
  'remind_approvers',
] as const;
export type PromotionEffectKind = (typeof PROMOTION_EFFECTS)[number];

/**
 * `channel` is what gets recorded; `channels` is the reducer's request for several channels
 * (split by `perChannel` before recording), also found on effects recorded by older versions.
 */
export interface PostApprovalCardPayload { requestId: string; channel?: string; channels?: string[]; giveUpAt?: string }
export interface UpdateCardsPayload { requestId: string; revision: number }
/** `giveUpAt`: while the request waits for its approvers, an Azure DevOps outage is retried until the approval would expire. */
export interface StartReleasePayload { requestId: string; env: string; model: string; version: string; description: string; giveUpAt?: string }
/**
 * `asUser`: the approver Azure DevOps is to record, whose delegated token grants the approval (DESIGN
 * 9.6); absent, the bot decides. The token is fetched when the effect runs, never recorded.
 */
export interface AdoDecidePayload {
  requestId: string; env: string; model?: string; ref: ReleaseRef; approvalId: string; decision: 'approved' | 'rejected'; comment: string;
  asUser?: { id: string; name: string; mode: 'human' | 'prefer-human' };
}
export interface TagModelPayload { requestId: string; env: string; model: string; version: string; tags: Record<string, string> }
export interface NotifyRequesterPayload { requestId: string; channel: string; text: string; tone: 'info' | 'good' | 'warning' | 'attention' }
export interface RemindApproversPayload { requestId: string; channel?: string; channels?: string[]; text: string; giveUpAt?: string }

export const BOT_NAME = 'MLOps Bot';

/**
 * What waits for the approvers (the approval card, reminders, the release waiting at its gate) is
 * retried through an outage until the approval would expire, not only for the outbox's general deadline.
 */
function untilExpiry(r: PromotionRequest): { giveUpAt?: string } {
  return r.expiresAt ? { giveUpAt: r.expiresAt } : {};
}

function draft(key: string, kind: PromotionEffectKind, payload: object): EffectDraft {
  return { key, kind, payload: payload as Record<string, unknown> };
}

/** The approval card for every approvals channel; recorded as one effect per channel (`perChannel`). */
export function postApprovalCard(r: PromotionRequest, channels: string[]): EffectDraft {
  return draft(`${r.id}:post_approval_card`, 'post_approval_card', { requestId: r.id, channels, ...untilExpiry(r) } satisfies PostApprovalCardPayload);
}

export function updateCards(r: PromotionRequest): EffectDraft {
  return draft(`${r.id}:update_cards:${r.revision}`, 'update_cards', { requestId: r.id, revision: r.revision } satisfies UpdateCardsPayload);
}

export function startRelease(r: PromotionRequest): EffectDraft {
  const description = `${BOT_NAME} promotion ${r.id}: ${r.model} v${r.version} to ${r.targetEnv}, requested by ${r.requester.name}`;
  return draft(`${r.id}:start_release`, 'start_release', {
    requestId: r.id, env: r.targetEnv, model: r.model, version: r.version, description, ...untilExpiry(r),
  } satisfies StartReleasePayload);
}

export function approveComment(r: PromotionRequest): string {
  return `Approved via ${BOT_NAME} by ${r.approvals.map((a) => a.name).join(', ')} (request ${r.id})`;
}

export function rejectComment(name: string, requestId: string, reason: string): string {
  return `Rejected via ${BOT_NAME} by ${name} (request ${requestId}): ${reason}`;
}

/** The rejection the Azure DevOps gate should receive for a request that ended without approval. */
export function gateRejectComment(r: PromotionRequest): string {
  if (r.rejection) return rejectComment(r.rejection.name, r.id, r.rejection.comment ?? 'rejected');
  if (r.cancellation) return rejectComment(r.cancellation.name, r.id, 'request cancelled');
  return rejectComment(BOT_NAME, r.id, 'approval expired');
}

/** Only when the release and its pending approval are known; otherwise the release poll emits it later. */
export function adoDecide(r: PromotionRequest, decision: 'approved' | 'rejected'): EffectDraft[] {
  if (r.gate !== 'ado' || !r.release?.approvalId) return [];
  const comment = decision === 'approved' ? approveComment(r) : gateRejectComment(r);
  // The approver Azure DevOps records: the latest one who asked to be, when there is one.
  const human = decision === 'approved' ? [...r.approvals].reverse().find((a) => a.asHuman) : undefined;
  // After Azure DevOps refused a person the approval is granted again later: a key of its own.
  const again = decision === 'approved' && r.adoRefusal ? `:${r.adoRefusal.count + 1}` : '';
  return [draft(`${r.id}:ado_decide:${decision}${again}`, 'ado_decide', {
    requestId: r.id, env: r.targetEnv, model: r.model, ref: stripRef(r.release), approvalId: r.release.approvalId, decision, comment,
    ...(human?.asHuman ? { asUser: { id: human.by, name: human.name, mode: human.asHuman } } : {}),
  } satisfies AdoDecidePayload)];
}

export function tagModel(r: PromotionRequest, now: Date): EffectDraft {
  return draft(`${r.id}:tag_model`, 'tag_model', {
    requestId: r.id, env: r.sourceEnv, model: r.model, version: r.version, tags: { [`mlops-env-${r.targetEnv}`]: now.toISOString() },
  } satisfies TagModelPayload);
}

export function notifyRequester(r: PromotionRequest, text: string, tone: NotifyRequesterPayload['tone']): EffectDraft {
  const channel = r.requesterChannel ?? r.requester.id;
  return draft(`${r.id}:notify_requester:${r.state}`, 'notify_requester', { requestId: r.id, channel, text, tone } satisfies NotifyRequesterPayload);
}

/** A reminder for every approvals channel; recorded as one effect per channel (`perChannel`). */
export function remindApprovers(r: PromotionRequest, channels: string[], text: string): EffectDraft {
  return draft(`${r.id}:remind_approvers:${r.remindersSent}`, 'remind_approvers', { requestId: r.id, channels, text, ...untilExpiry(r) } satisfies RemindApproversPayload);
}

/** `rollback_notice` (src/core/rollback) is addressed to channels the same way. */
const PER_CHANNEL: readonly string[] = ['post_approval_card', 'remind_approvers', 'rollback_notice'];

/**
 * Splits an effect addressed to several channels into one effect per channel, keyed
 * `<key>:<channel>`, so each channel is retried (and may fail) on its own. Other effects pass as is.
 */
export function perChannel(effect: EffectDraft): EffectDraft[] {
  const { channels, ...rest } = effect.payload as { channels?: unknown };
  if (!PER_CHANNEL.includes(effect.kind) || !Array.isArray(channels)) return [effect];
  return [...new Set(channels as string[])].map((channel) => ({ ...effect, key: `${effect.key}:${channel}`, payload: { ...rest, channel } }));
}

function stripRef(ref: ReleaseRef): ReleaseRef {
  return { kind: ref.kind, id: ref.id, ...(ref.name ? { name: ref.name } : {}), ...(ref.url ? { url: ref.url } : {}) };
}

/** A notice keyed by revision: for news that may come more than once in one state (a stall). */
export function notifyRequesterOnce(r: PromotionRequest, text: string, tone: NotifyRequesterPayload['tone']): EffectDraft {
  const channel = r.requesterChannel ?? r.requester.id;
  return draft(`${r.id}:notify_requester:r${r.revision}`, 'notify_requester', { requestId: r.id, channel, text, tone } satisfies NotifyRequesterPayload);
}
