/**
 * What a link or an unlink leaves behind besides the link itself: an audit entry (posted to the audit
 * channels like every other) and, for a new link, a message to the person in chat through the outbox,
 * once (keyed by user and time). No token is part of either.
 */
import { auditPostEffects } from '../audit/fan-out';
import type { AuditDraft } from '../audit/types';
import type { EffectDraft } from '../outbox/types';
import type { LinkedAccount, Store } from '../ports';
import type { BotSettings } from '../settings';

export const LINK_NOTICE_EFFECT = 'account_link_notice';

export interface LinkNoticePayload { chatUserId: string; title: string; text: string }

export type LinkEvent =
  | { kind: 'linked'; account: LinkedAccount; replaced?: LinkedAccount; correlationId?: string }
  | { kind: 'unlinked'; account: LinkedAccount; correlationId?: string };

export type LinkAnnouncer = (event: LinkEvent) => Promise<void>;

const who = (a: LinkedAccount): string => `${a.displayName} (${a.userPrincipalName})`;

export function linkNotice(account: LinkedAccount): EffectDraft {
  const payload: LinkNoticePayload = {
    chatUserId: account.chatUserId,
    title: 'Account linked',
    text: `Your chat account ${account.chatUserId} is now linked to the Entra account ${who(account)}. `
      + 'Approvals you give are granted in Azure DevOps as you. `whoami` shows the link, `unlink` removes it.',
  };
  return { key: `account-link:${account.chatUserId}:${account.linkedAt}`, kind: LINK_NOTICE_EFFECT, payload: payload as unknown as Record<string, unknown> };
}

function auditDraft(event: LinkEvent): AuditDraft {
  const { account } = event;
  const detail: Record<string, unknown> = {
    summary: event.kind === 'linked' ? `${account.chatUserId} linked to ${account.userPrincipalName}` : `${account.chatUserId} unlinked from ${account.userPrincipalName}`,
    entraObjectId: account.objectId, tenantId: account.tenantId,
    ...(event.kind === 'linked' && event.replaced ? { replaced: event.replaced.userPrincipalName } : {}),
  };
  return { action: `account.${event.kind}`, actor: account.chatUserId, detail, ...(event.correlationId ? { correlationId: event.correlationId } : {}) };
}

/** Records the audit entry and its effects in one transaction. */
export function linkAnnouncer(deps: { store: Pick<Store, 'appendAudit'>; settings: BotSettings }): LinkAnnouncer {
  return async (event) => {
    const draft = auditDraft(event);
    const effects = [...(event.kind === 'linked' ? [linkNotice(event.account)] : []), ...auditPostEffects(deps.settings, [draft])];
    await deps.store.appendAudit([draft], effects);
  };
}
