/**
 * Everything a transition records besides the request and its audit entries, committed with them
 * in one transaction: the reducer's effects, with posts to several channels split into one effect
 * per channel, and — when the state changed — the posts of the audit entries to the audit
 * channels, through the same fan-out every other audit entry uses (one audit card, one path).
 */
import { auditPostEffects } from '../audit/fan-out';
import type { AuditDraft } from '../audit/types';
import type { EffectDraft } from '../outbox/types';
import type { BotSettings } from '../settings';
import { perChannel } from './effect-drafts';
import type { PromotionRequest } from './types';

export function effectsToRecord(
  settings: BotSettings, before: PromotionRequest | null, next: PromotionRequest, effects: readonly EffectDraft[], audit: readonly AuditDraft[],
): EffectDraft[] {
  // A stalled step, and its retry, are news for the audit channel although the state stays.
  const changed = before === null || before.state !== next.state || before.stall?.at !== next.stall?.at;
  // A committed revision is unique per request, so it names the batch: recording it again adds nothing.
  const posts = changed ? auditPostEffects(settings, audit, { scope: `${next.id}:${next.revision}` }) : [];
  return [...effects.flatMap(perChannel), ...posts];
}
