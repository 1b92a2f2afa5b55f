/**
 * Who signed in, read from the id token the token endpoint returned, and only after checking it the
 * way OpenID Connect asks: RS256 signature by a key Entra publishes for the tenant, issuer
 * `<authority>/<tid>/v2.0` (and the configured tenant when it is one), audience = our client id,
 * not expired (5 minutes' skew), the nonce of this sign-in, and well-formed oid/tid/username.
 */
import jwt from 'jsonwebtoken';
import type { SigningKeys } from '../teams/signing-keys';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SKEW_S = 300;

export interface SignedInUser {
  objectId: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  /** The `email` claim, when the tenant sends one. */
  email?: string;
}

export interface IdTokenExpectations {
  jwksUrl: string;
  authorityHost: string;
  /** Configured tenant: a GUID pins it; `organizations` / `common` accept any tenant. */
  tenant: string;
  clientId: string;
  nonce: string;
  nowMs: number;
}

export type IdTokenCheck = { ok: true; user: SignedInUser } | { ok: false; detail: string };

export async function checkIdToken(token: string, keys: SigningKeys, x: IdTokenExpectations): Promise<IdTokenCheck> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') return { ok: false, detail: 'the id token is not a JWT' };
  if (decoded.header.alg !== 'RS256' || !decoded.header.kid) return { ok: false, detail: 'the id token is not signed RS256 with a named key' };
  const key = await keys.find(x.jwksUrl, decoded.header.kid);
  if (!key.ok) return { ok: false, detail: key.reason === 'keys_unavailable' ? "Entra's signing keys could not be fetched" : 'the id token is signed by a key Entra does not publish' };
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, key.key.key, {
      algorithms: ['RS256'], audience: x.clientId, nonce: x.nonce, clockTolerance: SKEW_S, clockTimestamp: Math.floor(x.nowMs / 1000),
    }) as jwt.JwtPayload;
  } catch (err) {
    return { ok: false, detail: `the id token is not valid (${err instanceof Error ? err.message : 'unreadable'})` };
  }
  const str = (k: string): string => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
  const tid = str('tid');
  if (!GUID.test(tid) || !GUID.test(str('oid'))) return { ok: false, detail: 'the id token has no valid oid and tid' };
  if (GUID.test(x.tenant) && tid.toLowerCase() !== x.tenant.toLowerCase()) return { ok: false, detail: 'the account belongs to another tenant' };
  if (claims.iss !== `${x.authorityHost}/${tid}/v2.0`) return { ok: false, detail: 'the id token comes from another issuer' };
  if (typeof claims.exp !== 'number') return { ok: false, detail: 'the id token has no expiry' };
  if (typeof claims.iat !== 'number' || claims.iat * 1000 > x.nowMs + SKEW_S * 1000) return { ok: false, detail: 'the id token is issued in the future' };
  const upn = str('preferred_username');
  if (!upn || upn.length > 256) return { ok: false, detail: 'the id token names no user (preferred_username)' };
  const name = str('name').slice(0, 256) || upn;
  const email = str('email').toLowerCase();
  return { ok: true, user: { objectId: str('oid').toLowerCase(), tenantId: tid.toLowerCase(), userPrincipalName: upn, displayName: name, ...(email ? { email } : {}) } };
}
