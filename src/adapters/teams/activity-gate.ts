/**
 * Checks on an inbound activity before anything runs or is stored: it must come from the Teams
 * channel, name a connector the bot may post to, and (with MicrosoftAppTenantId) belong to the
 * bot's tenant. A valid Bot Framework token proves the activity came through the Bot Framework,
 * not that it came from Teams or from our tenant; in anonymous mode nothing is proven at all.
 */
import { allowedHostsText, serviceHost, serviceUrlAllowed, type TeamsAccessMode } from './service-url';

export interface GatePolicy {
  mode: TeamsAccessMode;
  /** MicrosoftAppTenantId, when set: activities from other tenants are refused. */
  tenantId?: string;
}

/** What the caller's verified token says (absent in anonymous mode). */
export interface GateClaims { serviceurl?: unknown }

export interface GateRefusal {
  status: 403;
  code: 'wrong_channel' | 'service_url_not_allowed' | 'service_url_mismatch' | 'wrong_tenant';
  message: string;
  /** Safe to log: short values, the service URL's host only. */
  details: Record<string, string>;
}

/** The Agents Playground sends `msteams` too. */
export const TEAMS_CHANNEL_ID = 'msteams';

export function gateActivity(body: unknown, policy: GatePolicy, claims?: GateClaims): GateRefusal | null {
  const activity = record(body) ?? {};
  const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
  if (channelId !== TEAMS_CHANNEL_ID) {
    return refuse('wrong_channel', `This endpoint serves Microsoft Teams only (channelId ${TEAMS_CHANNEL_ID}).`, { channelId: short(channelId || '(none)') });
  }
  if (!serviceUrlAllowed(activity.serviceUrl, policy.mode)) {
    return refuse('service_url_not_allowed', `The activity's serviceUrl is not a connector this bot posts to (allowed: ${allowedHostsText(policy.mode)}).`, { serviceHost: serviceHost(activity.serviceUrl) });
  }
  // A channel token names the connector it was issued for: a valid token replayed with another
  // serviceUrl must not redirect the bot's replies.
  if (typeof claims?.serviceurl === 'string' && !sameUrl(claims.serviceurl, activity.serviceUrl as string)) {
    return refuse('service_url_mismatch', 'The activity\'s serviceUrl is not the one its token was issued for.', { serviceHost: serviceHost(activity.serviceUrl) });
  }
  if (policy.tenantId) {
    const tenants = tenantsOf(activity);
    const wanted = policy.tenantId.toLowerCase();
    if (tenants.length === 0 || tenants.some((t) => t.toLowerCase() !== wanted)) {
      return refuse('wrong_tenant', 'The activity does not come from the tenant this bot serves (MicrosoftAppTenantId).', { tenants: short(tenants.join(',') || '(none)') });
    }
  }
  return null;
}

/** `conversation.tenantId` and `channelData.tenant.id`: every one present must match. */
export function tenantsOf(activity: Record<string, unknown>): string[] {
  const fromConversation = record(activity.conversation)?.tenantId;
  const fromChannelData = record(record(activity.channelData)?.tenant)?.id;
  return [fromConversation, fromChannelData].filter((t): t is string => typeof t === 'string' && t !== '');
}

function refuse(code: GateRefusal['code'], message: string, details: Record<string, string>): GateRefusal {
  return { status: 403, code, message, details };
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '');
  return norm(a) === norm(b);
}

function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
