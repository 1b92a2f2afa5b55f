/**
 * Whether `/api/messages` runs, and how. Without an app id nothing authenticates the caller, so the
 * endpoint runs anonymously only for a local client: the built-in demo (no MLOPS_CONFIG) or an
 * installation that says so explicitly (MLOPS_TEAMS_LOCAL). A configured installation without an
 * app id keeps Teams off rather than expose an endpoint anyone could forge activities to.
 */
import type { TeamsAccessMode } from './service-url';

/** `demo`: the built-in demo config (no MLOPS_CONFIG); `configured`: a real installation. */
export type AppMode = 'demo' | 'configured';

export interface AccessConfig {
  appId?: string;
  anonymous: boolean;
  /** Absent counts as `configured`: anonymous Teams must be asked for. */
  appMode?: AppMode;
  /** The explicit local flag (MLOPS_TEAMS_LOCAL): anonymous Teams for a client on this machine. */
  local?: boolean;
}

export type TeamsAccess =
  | { mode: TeamsAccessMode }
  | { mode: 'off'; reason: string; fix: string };

export const LOCAL_FLAG = 'MLOPS_TEAMS_LOCAL';

export const TEAMS_SETUP_FIX =
  'Set MicrosoftAppId and MicrosoftAppPassword (with MicrosoftAppType=SingleTenant and MicrosoftAppTenantId for a single-tenant app, '
  + 'or MicrosoftAppType=UserAssignedMsi, MicrosoftAppId = the identity\'s client id and MicrosoftAppTenantId for a managed identity) to connect Teams; '
  + `to try the bot with a local client such as the Agents Playground instead, set ${LOCAL_FLAG}=true (the endpoint then answers only this machine).`;

export function decideAccess(config: AccessConfig): TeamsAccess {
  if (config.appId && !config.anonymous) return { mode: 'authenticated' };
  if (config.appMode === 'demo' || config.local === true) return { mode: 'anonymous' };
  return {
    mode: 'off',
    reason: 'Teams is off: this installation has a config (MLOPS_CONFIG) but no MicrosoftAppId, and the Teams endpoint does not run without authentication outside the demo.',
    fix: TEAMS_SETUP_FIX,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Activities carry the tenant's GUID: a domain name here would refuse every activity. */
export function tenantIdProblem(tenantId: string | undefined): string | null {
  if (!tenantId || GUID.test(tenantId)) return null;
  return 'MicrosoftAppTenantId is not a tenant GUID, but Teams activities carry the tenant GUID, so every Teams activity will be refused. Set MicrosoftAppTenantId to the Directory (tenant) ID shown in the Entra admin center.';
}
