/**
 * The two halves of a sign-in: `begin` makes the single-use `state`, the PKCE pair and the nonce,
 * keeps them (sealed) in the store for 10 minutes and gives the authorize URL; `complete` takes the
 * state back once, redeems the code with the verifier, checks the id token and that the person who
 * signed in may be linked to that chat account, and only then stores the link. Every refusal stores
 * nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LinkAnnouncer } from '../../core/links/announce';
import type { Clock, LinkedAccount, LinkStarter, Logger } from '../../core/ports';
import type { SigningKeys } from '../teams/signing-keys';
import type { EntraEndpoints } from './entra-endpoints';
import { checkIdToken, type SignedInUser } from './id-token';
import type { LinkRecords, PendingSignIn } from './link-records';
import type { TokenCipher } from './token-cipher';

export const SIGN_IN_TTL_MS = 10 * 60_000;
const STATE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type LinkFailure = 'bad_request' | 'unknown_state' | 'expired' | 'cancelled' | 'refused' | 'unavailable' | 'invalid_id_token' | 'wrong_user';
export type LinkOutcome = { ok: true; account: LinkedAccount; chatDisplayName: string; replaced?: LinkedAccount } | { ok: false; reason: LinkFailure; message: string; chatUserId?: string };

export interface SignInDeps {
  entra: EntraEndpoints;
  records: LinkRecords;
  cipher: TokenCipher;
  keys: SigningKeys;
  clock: Clock;
  log: Logger;
  announce: LinkAnnouncer;
}

const b64url = (n: number): string => randomBytes(n).toString('base64url');

export async function beginSignIn(deps: SignInDeps, starter: LinkStarter): Promise<{ url: string; expiresAt: string }> {
  const now = deps.clock.now();
  await deps.records.dropExpired(now);
  const state = b64url(32);
  const verifier = b64url(32);
  const nonce = b64url(16);
  const expiresAt = new Date(now.getTime() + SIGN_IN_TTL_MS).toISOString();
  const doc: PendingSignIn = {
    chatUserId: starter.chatUserId, platform: starter.platform, displayName: starter.displayName,
    ...(starter.aadObjectId ? { aadObjectId: starter.aadObjectId.toLowerCase() } : {}),
    ...(starter.email ? { email: starter.email.toLowerCase() } : {}),
    verifier: deps.cipher.seal(verifier, starter.chatUserId), nonce, createdAt: now.toISOString(), expiresAt,
  };
  await deps.records.putPending(state, doc);
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  return { url: deps.entra.authorizeUrl({ state, codeChallenge, nonce, ...(doc.email ? { loginHint: doc.email } : {}) }), expiresAt };
}

/**
 * The platform vouches for who the chat user is; the Entra account must be that person. A chat
 * sign-in that nobody vouched for is refused: otherwise anyone could send their link to an approver
 * and, once the approver signs in, act as them. Only the CLI (the operator's own terminal) goes unbound.
 */
const unvouched = (p: PendingSignIn): boolean => !p.aadObjectId && !p.email && p.platform !== 'cli';

function sameAsChatUser(pending: PendingSignIn, user: SignedInUser): boolean {
  if (unvouched(pending)) return false;
  if (pending.aadObjectId && pending.aadObjectId !== user.objectId) return false;
  if (pending.email && pending.email !== user.userPrincipalName.toLowerCase() && pending.email !== user.email) return false;
  return true;
}

const fail = (reason: LinkFailure, message: string, chatUserId?: string): LinkOutcome => ({ ok: false, reason, message, ...(chatUserId ? { chatUserId } : {}) });

export async function completeSignIn(deps: SignInDeps, query: URLSearchParams): Promise<LinkOutcome> {
  const state = query.get('state') ?? '';
  if (!STATE_SHAPE.test(state)) return fail('bad_request', 'This sign-in answer carries no valid state. Start again with `link` in chat.');
  const pending = await deps.records.takePending(state);
  if (!pending) return fail('unknown_state', 'This sign-in link was already used or was not issued by this bot. Type `link` in chat for a new one.');
  const now = deps.clock.now();
  const who = pending.chatUserId;
  if (Date.parse(pending.expiresAt) <= now.getTime()) return fail('expired', 'This sign-in link has expired (links last 10 minutes). Type `link` in chat for a new one.', who);
  if (query.get('error')) return fail('cancelled', `The sign-in did not finish (${(query.get('error') ?? '').slice(0, 60)}). Type \`link\` in chat to try again.`, who);
  const code = query.get('code') ?? '';
  if (!code || code.length > 4096) return fail('bad_request', 'This sign-in answer carries no authorization code. Type `link` in chat to try again.', who);
  const verifier = deps.cipher.open(pending.verifier, who);
  if (!verifier.ok) return fail('expired', 'This sign-in was started under a token key that is no longer configured. Type `link` in chat for a new one.', who);
  const redeemed = await deps.entra.redeemCode(code, verifier.value);
  if (!redeemed.ok) {
    deps.log.warn({ chatUserId: who, kind: redeemed.kind, error: redeemed.kind === 'refused' ? redeemed.error : undefined }, 'account link: code redemption failed');
    return fail(redeemed.kind === 'refused' ? 'refused' : 'unavailable', `Entra did not complete the sign-in: ${redeemed.detail}. Type \`link\` in chat to try again.`, who);
  }
  const { idToken, refreshToken } = redeemed.tokens;
  if (!idToken || !refreshToken) return fail('refused', 'Entra answered without an id token or a refresh token (the app needs the openid and offline_access scopes).', who);
  const checked = await checkIdToken(idToken, deps.keys, {
    jwksUrl: deps.entra.jwksUrl, authorityHost: deps.entra.authorityHost, tenant: deps.entra.tenant, clientId: deps.entra.clientId, nonce: pending.nonce, nowMs: now.getTime(),
  });
  if (!checked.ok) {
    deps.log.warn({ chatUserId: who, detail: checked.detail }, 'account link: id token refused');
    return fail('invalid_id_token', `The sign-in could not be verified: ${checked.detail}.`, who);
  }
  const user = checked.user;
  if (!sameAsChatUser(pending, user)) {
    deps.log.warn({ chatUserId: who, signedIn: user.objectId }, 'account link: another person signed in');
    if (unvouched(pending)) return fail('wrong_user', `${pending.platform} did not say which work account ${pending.displayName || who} is (no Entra object id, no email), so no Entra account can be linked to it. Nothing was linked.`, who);
    return fail('wrong_user', `The link was made for ${pending.displayName || who}, but ${user.userPrincipalName} signed in. Nothing was linked: each person links their own account.`, who);
  }
  const account: LinkedAccount = { chatUserId: who, tenantId: user.tenantId, objectId: user.objectId, userPrincipalName: user.userPrincipalName, displayName: user.displayName, linkedAt: now.toISOString() };
  const previous = await deps.records.get(who);
  await deps.records.put({
    account, refreshToken: deps.cipher.seal(refreshToken, who),
    access: { token: deps.cipher.seal(redeemed.tokens.accessToken, who), expiresAt: new Date(now.getTime() + redeemed.tokens.expiresInS * 1000).toISOString() },
    updatedAt: now.toISOString(),
  });
  const replaced = previous && previous.account.objectId !== account.objectId ? previous.account : undefined;
  await deps.announce({ kind: 'linked', account, ...(replaced ? { replaced } : {}) });
  deps.log.info({ chatUserId: who, objectId: account.objectId }, 'account linked');
  return { ok: true, account, chatDisplayName: pending.displayName, ...(replaced ? { replaced } : {}) };
}
