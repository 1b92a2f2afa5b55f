/**
 * Slack ids as the core sees them (`slack:U0AAA`, `slack:C0APPROVE`) and the dedupe keys of inbound
 * payloads: one key per thing Slack may deliver twice, so a retry or a double click has one effect.
 */
import { BotError } from '../../core/errors';

export const PREFIX = 'slack:';

export const qualified = (id: string): string => `${PREFIX}${id}`;

/** The bare Slack id of a `slack:` channel or user; anything else is a routing mistake. */
export function bareId(qualifiedId: string): string {
  if (!qualifiedId.startsWith(PREFIX) || qualifiedId.length === PREFIX.length) {
    throw new BotError('config_invalid', `${qualifiedId} is not a Slack id.`, { remedy: 'Slack channels and users are written slack:C… / slack:U….' });
  }
  return qualifiedId.slice(PREFIX.length);
}

/** User ids (U…, W… on Enterprise Grid) take a DM; channel ids (C…, G…, D…) are posted to as they are. */
export const isUserId = (id: string): boolean => /^[UW][A-Z0-9]+$/.test(id);

export const dedupeKeys = {
  command: (triggerId: string): string => `slack:command:${triggerId}`,
  action: (actionTs: string, userId: string, actionId: string): string => `slack:action:${actionTs}:${userId}:${actionId}`,
  view: (viewId: string): string => `slack:view:${viewId}`,
  event: (eventId: string): string => `slack:event:${eventId}`,
};
