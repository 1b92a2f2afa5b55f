/**
 * Authenticates a request to `/api/messages` from its Authorization header alone, before the body
 * is read or parsed: a Bot Framework (or Entra) RS256 token for this app, signed by a published key,
 * within its lifetime. Every failure is one reason from a closed list and costs no outbound call
 * unless a known issuer names a key we have not seen (then at most one fetch, see signing-keys.ts).
 * The checks follow the Agents SDK's own (issuers, audience, tenant binding, 5 min clock skew), plus
 * the Bot Framework key endorsement for the Teams channel that botbuilder checked.
 */
import jwt from 'jsonwebtoken';
import { SigningKeys } from './signing-keys';

export type TokenRefusal =
  | 'missing_token' | 'malformed_token' | 'wrong_algorithm' | 'wrong_audience' | 'wrong_issuer'
  | 'unknown_key' | 'keys_unavailable' | 'not_endorsed' | 'bad_signature' | 'expired' | 'tenant_mismatch';

export type TokenOutcome = { ok: true; claims: jwt.JwtPayload } | { ok: false; reason: TokenRefusal };

export type TokenCheck = (authorization: string | string[] | undefined) => Promise<TokenOutcome>;

/** Where the public keys are published; tests point these at a local server. */
export interface KeyUrls { botFramework: string; entra: string }

export interface TokenCheckConfig {
  appId: string;
  /** MicrosoftAppTenantId (SingleTenant / UserAssignedMsi): Entra tokens of that tenant are accepted too. */
  tenantId?: string;
  keyUrls?: Partial<KeyUrls>;
  keys?: SigningKeys;
}

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** Microsoft's first-party tenants that issue channel tokens (as trusted by the Agents SDK). */
const FIRST_PARTY_TENANTS = ['d6d49420-f39b-4df7-a1dc-d59a935871db', 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', '69e9b82d-4842-4902-8d1e-abc5b98a55e8'];
const TEAMS_CHANNEL = 'msteams';
/** Bot Framework tokens are a few KB; a header far bigger than that is not one. */
const MAX_TOKEN_LENGTH = 16 * 1024;

export function defaultKeyUrls(tenantId?: string): KeyUrls {
  return {
    botFramework: 'https://login.botframework.com/v1/.well-known/keys',
    entra: `https://login.microsoftonline.com/${tenantId || 'botframework.com'}/discovery/v2.0/keys`,
  };
}

export function createTokenCheck(config: TokenCheckConfig): TokenCheck {
  const urls = { ...defaultKeyUrls(config.tenantId), ...config.keyUrls };
  const keys = config.keys ?? new SigningKeys();
  const tenants = [...(config.tenantId ? [config.tenantId.toLowerCase()] : []), ...FIRST_PARTY_TENANTS];
  const entraIssuers = new Map<string, string>(tenants.flatMap((t) => [[`https://sts.windows.net/${t}/`, t], [`https://login.microsoftonline.com/${t}/v2.0`, t]] as const));

  return async (authorization) => {
    const token = bearer(authorization);
    if (token === null) return refuse('missing_token');
    if (token === undefined) return refuse('malformed_token');
    const decoded = decode(token);
    if (!decoded) return refuse('malformed_token');
    const { header, payload } = decoded;
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') return refuse('wrong_algorithm');
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(config.appId)) return refuse('wrong_audience');
    const iss = typeof payload.iss === 'string' ? payload.iss.toLowerCase() : '';
    const issuerTenant = entraIssuers.get(iss);
    if (iss !== BOT_FRAMEWORK_ISSUER && !issuerTenant) return refuse('wrong_issuer');

    const found = await keys.find(issuerTenant ? urls.entra : urls.botFramework, header.kid);
    if (!found.ok) return refuse(found.reason);
    // Bot Framework keys list the channels they may sign for; this endpoint serves Teams only.
    if (found.key.endorsements && !found.key.endorsements.includes(TEAMS_CHANNEL)) return refuse('not_endorsed');
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, found.key.key, { algorithms: ['RS256'], audience: config.appId, clockTolerance: 300 }) as jwt.JwtPayload;
    } catch (e) {
      return refuse(e instanceof jwt.TokenExpiredError || e instanceof jwt.NotBeforeError ? 'expired' : 'bad_signature');
    }
    // An Entra token names its tenant twice; they must agree (the issuers' keys are shared).
    if (issuerTenant && typeof claims.tid === 'string' && claims.tid.toLowerCase() !== issuerTenant) return refuse('tenant_mismatch');
    return { ok: true, claims };
  };
}

/** The bearer token; null when there is no Authorization header, undefined when it is not a bearer token. */
function bearer(authorization: string | string[] | undefined): string | null | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  if (value === undefined || value.trim() === '') return null;
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0].toLowerCase() !== 'bearer' || parts[1].length > MAX_TOKEN_LENGTH) return undefined;
  return parts[1];
}

function decode(token: string): { header: jwt.JwtHeader; payload: jwt.JwtPayload } | null {
  try {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') return null;
    return { header: decoded.header, payload: decoded.payload };
  } catch {
    return null;
  }
}

function refuse(reason: TokenRefusal): TokenOutcome {
  return { ok: false, reason };
}
