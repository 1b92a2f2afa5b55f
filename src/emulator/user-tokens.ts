/**
 * Delegated (user) tokens of the emulator's Entra: access tokens for a resource such as Azure DevOps
 * and OpenID Connect id tokens, signed RS256 with the emulator's key and published as a JWKS, the way
 * Entra does. Whatever the emulator serves on behalf of a user (Azure DevOps approvals) reads the
 * person back from the access token with `verifyUserAccessToken`.
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import type JwtModule from 'jsonwebtoken';

/** Loaded with the first user token (sign-in is rare; every emulator start is not). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jwtLib = (): typeof JwtModule => require('jsonwebtoken') as typeof JwtModule;
import type { EmulatorContext } from './context';
import type { GraphUserRec } from './entra-state';
import { oauthState } from './oauth-state';

/** Application id of Azure DevOps: the audience of its access tokens. */
export const DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
export const ACCESS_TOKEN_LIFETIME_S = 3600;

/** The claims of a user access token that a resource reads (Entra v1 access token shape). */
export interface UserAccessClaims {
  oid: string;
  tid: string;
  upn: string;
  name: string;
  aud: string;
  /** Client application the token was issued to. */
  appid: string;
  scp: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type UserTokenCheck = { ok: true; claims: UserAccessClaims } | { ok: false; message: string };

const nowS = (emu: EmulatorContext): number => Math.floor(emu.clock.now().getTime() / 1000);

function sign(emu: EmulatorContext, claims: Record<string, unknown>): string {
  const key = oauthState(emu).signingKey;
  return jwtLib().sign(claims, key.privateKeyPem, { algorithm: 'RS256', keyid: key.kid });
}

/** An access token for `audience` (e.g. `DEVOPS_RESOURCE`) on behalf of `user`. */
export function issueUserAccessToken(emu: EmulatorContext, user: GraphUserRec, opts: { audience: string; clientId: string; scope?: string; lifetimeS?: number }): { token: string; expiresIn: number } {
  const iat = nowS(emu);
  const expiresIn = opts.lifetimeS ?? ACCESS_TOKEN_LIFETIME_S;
  const tid = emu.state.tenantId;
  const token = sign(emu, {
    aud: opts.audience, iss: `https://sts.windows.net/${tid}/`, iat, nbf: iat, exp: iat + expiresIn,
    oid: user.id, sub: user.id, tid, upn: user.userPrincipalName, unique_name: user.userPrincipalName,
    name: user.displayName, appid: opts.clientId, scp: opts.scope ?? 'user_impersonation', ver: '1.0', uti: randomUUID(),
  });
  return { token, expiresIn };
}

/** An OpenID Connect id token (v2.0) for the client, as the token endpoint returns it. */
export function issueIdToken(emu: EmulatorContext, user: GraphUserRec, opts: { issuer: string; clientId: string; nonce?: string }): string {
  const iat = nowS(emu);
  return sign(emu, {
    aud: opts.clientId, iss: opts.issuer, iat, nbf: iat, exp: iat + ACCESS_TOKEN_LIFETIME_S,
    oid: user.id, sub: user.id, tid: emu.state.tenantId, preferred_username: user.userPrincipalName,
    name: user.displayName, ver: '2.0', ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
}

/**
 * Reads a user access token back: signed by this emulator, not expired, for one of `audiences`
 * (default Azure DevOps). Accepts the raw token or an `Authorization: Bearer …` header value.
 */
export function verifyUserAccessToken(emu: EmulatorContext, tokenOrHeader: string, audiences: string[] = [DEVOPS_RESOURCE, `api://${DEVOPS_RESOURCE}`]): UserTokenCheck {
  const token = tokenOrHeader.replace(/^Bearer\s+/i, '').trim();
  let claims: Record<string, unknown>;
  try {
    claims = jwtLib().verify(token, oauthState(emu).signingKey.publicKeyPem, { algorithms: ['RS256'], clockTimestamp: nowS(emu) }) as Record<string, unknown>;
  } catch (err) {
    const expired = err instanceof jwtLib().TokenExpiredError;
    return { ok: false, message: expired ? 'The access token has expired.' : 'The access token was not issued by this emulator.' };
  }
  const aud = String(claims['aud'] ?? '');
  if (!audiences.includes(aud)) return { ok: false, message: `The access token audience '${aud}' is invalid; expected ${audiences.join(' or ')}.` };
  const str = (k: string): string => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
  if (!str('oid') || !str('upn')) return { ok: false, message: 'The access token names no user (oid, upn).' };
  return { ok: true, claims: { oid: str('oid'), tid: str('tid'), upn: str('upn'), name: str('name'), aud, appid: str('appid'), scp: str('scp'), exp: Number(claims['exp']) } };
}

/** True when the string looks like one of the emulator's user tokens (a JWT), not an opaque app token. */
export function looksLikeUserToken(tokenOrHeader: string): boolean {
  return tokenOrHeader.replace(/^Bearer\s+/i, '').trim().split('.').length === 3;
}

/** The JWKS document publishing the signing key. */
export function emulatorJwks(emu: EmulatorContext): { keys: Record<string, unknown>[] } {
  const { kid, publicKeyPem } = oauthState(emu).signingKey;
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, alg: 'RS256' }] };
}
