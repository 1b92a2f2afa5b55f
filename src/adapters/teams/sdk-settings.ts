/**
 * DESIGN section 6 keeps the Bot Framework variable names (MicrosoftAppId, MicrosoftAppPassword,
 * MicrosoftAppType, MicrosoftAppTenantId); this maps them onto the Agents SDK's connection settings.
 * The connection is passed explicitly so the SDK never falls back to reading `Connections__…`
 * variables from the process environment on its own.
 */
import { AuthType, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { StoredReference, TeamsAuthConfig } from './types';

const CONNECTION = 'serviceConnection';

export function sdkAuthConfig(config: TeamsAuthConfig): AuthConfiguration {
  const settings = connectionSettings(config);
  return { ...settings, connections: new Map([[CONNECTION, settings]]), connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }] };
}

function connectionSettings(config: TeamsAuthConfig): AuthConfiguration {
  const appId = config.appId ?? '';
  // Anonymous (no app id): the SDK sends without a token, for local clients only.
  if (appId === '') return {};
  // MultiTenant apps get tokens from the botframework.com tenant (the SDK's default without a tenant).
  const tenant = config.appType === 'MultiTenant' || !config.tenantId ? {} : { tenantId: config.tenantId };
  if (config.appType === 'UserAssignedMsi') return { clientId: appId, authType: AuthType.UserManagedIdentity, ...tenant };
  return { clientId: appId, clientSecret: config.appPassword?.reveal() ?? '', authType: AuthType.ClientSecret, ...tenant };
}

/**
 * A stored reference in the SDK's shape: it calls the bot `agent`, botbuilder called it `bot`
 * (references stored before the move, and the Playground's constructed ones, say `bot`).
 */
export function sdkReference(stored: StoredReference): Parameters<import('@microsoft/agents-hosting').CloudAdapter['continueConversation']>[1] {
  const { bot, agent, activityId: _old, ...rest } = stored as StoredReference & { bot?: unknown; agent?: unknown; activityId?: unknown };
  // A proactive post is a new message, never a reply to whatever the reference was learnt from.
  return { ...rest, agent: (agent ?? bot ?? undefined) as never } as never;
}
