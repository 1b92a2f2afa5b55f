/**
 * The one way to append audit entries outside a promotion transition: the entries and their posts
 * to the audit channels are committed together, so an entry is never stored without being posted
 * (eventually) nor posted without being stored.
 */
import type { Store } from '../ports';
import type { BotSettings } from '../settings';
import { auditPostEffects } from './fan-out';
import type { AuditDraft, AuditEntry } from './types';

/** `now` (the caller's clock) lets refusals reach the audit channels as one summary per window. */
export async function recordAudit(store: Pick<Store, 'appendAudit'>, settings: BotSettings, drafts: AuditDraft[], now?: Date): Promise<AuditEntry[]> {
  if (drafts.length === 0) return [];
  return store.appendAudit(drafts, auditPostEffects(settings, drafts, now ? { now } : {}));
}
