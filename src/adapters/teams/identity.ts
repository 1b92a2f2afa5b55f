/**
 * Who a Teams user is to the bot. The principal is the Entra object id (`teams:<aadObjectId>`), as
 * DESIGN §6 writes it. The one exception: when the config names this user by their Teams user id
 * (`teams:29:…`, or the Agents Playground's `teams:user-id-1`), that spelling is used, so a config
 * written either way matches. Config entries are compared case-insensitively here and the caller
 * gets the config's exact spelling, because the core compares ids verbatim.
 */
import type { Caller } from '../../core/identity';
import type { BotSettings } from '../../core/settings';
import type { TeamsAccount } from './types';

export function configuredTeamsPrincipals(settings: BotSettings): string[] {
  const all = [
    ...settings.admins,
    ...settings.environments.flatMap((e) => [...(e.approval?.approvers ?? []), ...(e.requesters ?? []), ...(e.schedulers ?? [])]),
  ];
  return [...new Set(all.filter((p) => p.toLowerCase().startsWith('teams:')))];
}

export function principalOf(from: TeamsAccount, settings: BotSettings): string {
  const configured = configuredTeamsPrincipals(settings);
  const find = (id: string | undefined) => (id ? configured.find((p) => p.toLowerCase() === `teams:${id}`.toLowerCase()) : undefined);
  return find(from.aadObjectId) ?? find(from.id) ?? `teams:${from.aadObjectId ? from.aadObjectId.toLowerCase() : from.id}`;
}

export function callerOf(from: TeamsAccount, settings: BotSettings): Caller {
  return {
    id: principalOf(from, settings),
    platform: 'teams',
    displayName: from.name?.trim() || from.id,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId.toLowerCase() } : {}),
  };
}
