/** Time passing: a waiting request expires, and approvers are reminded until it does. */
import { BOT_NAME, remindApprovers } from './effect-drafts';
import type { ReduceContext, ReduceResult } from './events';
import { expire, isExpired } from './reduce-expiry';
import { freezeTick } from './reduce-freeze';
import { step, unchanged } from './step';
import type { PromotionRequest } from './types';

export function tick(r: PromotionRequest, ctx: ReduceContext): ReduceResult {
  if (r.state !== 'awaiting_approval' && r.state !== 'approved') return unchanged(r);
  if (r.state === 'awaiting_approval' && isExpired(r, ctx.now)) return expire(r, ctx);
  const frozen = freezeTick(r, ctx);
  if (frozen) return frozen;
  if (r.state !== 'awaiting_approval') return unchanged(r);
  const now = ctx.now.getTime();
  const expiresAt = r.expiresAt ? Date.parse(r.expiresAt) : Infinity;
  const every = ctx.env.approval?.remindEveryMs ?? 0;
  if (every <= 0) return unchanged(r);
  const due = Date.parse(r.lastReminderAt ?? r.createdAt) + every;
  // Missed reminders are not sent in a burst: one per tick, the next one an interval later.
  if (now < due || due >= expiresAt) return unchanged(r);
  const channels = ctx.env.channels.approvals;
  return step(r, ctx, {
    patch: { remindersSent: r.remindersSent + 1, lastReminderAt: ctx.now.toISOString() },
    action: 'promotion.reminded',
    actor: 'system',
    summary: `reminder ${r.remindersSent + 1} sent to approvers`,
    detail: { reminder: r.remindersSent + 1, channels },
    card: false,
    effects: (next) => channels.length === 0 ? [] : [remindApprovers(next, channels, reminderText(next))],
  });
}

function reminderText(r: PromotionRequest): string {
  const left = r.minApprovals - r.approvals.length;
  const until = r.expiresAt ? `, expires ${r.expiresAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  return `Reminder from ${BOT_NAME}: ${r.id} (${r.model} v${r.version} → ${r.targetEnv}, requested by ${r.requester.name}) `
    + `still needs ${left} approval${left === 1 ? '' : 's'}${until}.`;
}
