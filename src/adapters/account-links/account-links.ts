/**
 * The `AccountLinks` and `AccountLinking` ports over Entra (DESIGN 9.6). A delegated Azure DevOps
 * token comes from the stored refresh token (refresh grant), and the refresh token Entra sends back
 * replaces the stored one. The last access token is kept sealed too and reused until 5 minutes
 * before it expires, so approvals in a row cost one call to Entra. Tokens leave this class only as
 * the return value of `adoAccessToken`.
 */
import type { AccountLinking, AccountLinks, DelegatedTokenFailure, LinkedAccount, LinkStarter } from '../../core/ports';
import type { LinkRecord } from './link-records';
import { beginSignIn, completeSignIn, type LinkOutcome, type SignInDeps } from './sign-in';

const REUSE_MARGIN_MS = 5 * 60_000;

/** The same collaborators as a sign-in's. */
export type EntraAccountLinksDeps = SignInDeps;

type TokenAnswer = { ok: true; token: string } | { ok: false; reason: DelegatedTokenFailure; detail: string };

export class EntraAccountLinks implements AccountLinks, AccountLinking {
  private readonly signIn: SignInDeps;

  constructor(private readonly deps: EntraAccountLinksDeps) {
    this.signIn = deps;
  }

  begin(starter: LinkStarter): Promise<{ url: string; expiresAt: string }> {
    return beginSignIn(this.signIn, starter);
  }

  /** The end of a sign-in: the query of `GET /auth/callback`. */
  complete(query: URLSearchParams): Promise<LinkOutcome> {
    return completeSignIn(this.signIn, query);
  }

  async unlink(chatUserId: string): Promise<LinkedAccount | null> {
    const record = await this.deps.records.get(chatUserId);
    if (!record || !(await this.deps.records.delete(chatUserId))) return null;
    await this.deps.announce({ kind: 'unlinked', account: record.account });
    return record.account;
  }

  async linkedAccount(chatUserId: string): Promise<LinkedAccount | null> {
    return (await this.deps.records.get(chatUserId))?.account ?? null;
  }

  async adoAccessToken(chatUserId: string): Promise<TokenAnswer> {
    const record = await this.deps.records.get(chatUserId);
    if (!record) return { ok: false, reason: 'not-linked', detail: `${chatUserId} has not linked an Entra account (type \`link\`).` };
    const cached = this.reusable(record);
    if (cached) return { ok: true, token: cached };
    const answer = await this.refresh(record);
    if (answer.ok || answer.reason !== 'expired') return answer;
    // Another replica may have rotated the refresh token a moment ago: use what it stored.
    const latest = await this.deps.records.get(chatUserId);
    if (!latest || latest.refreshToken.data === record.refreshToken.data) return answer;
    return this.reusable(latest) ? { ok: true, token: this.reusable(latest) as string } : this.refresh(latest);
  }

  /**
   * Re-seals every stored token under the current key (after a key rotation); returns how many
   * links were rewritten. Links whose key is gone are left for their owner to link again.
   */
  async resealStale(): Promise<number> {
    let count = 0;
    for (const record of await this.deps.records.list()) {
      if (!this.deps.cipher.isStale(record.refreshToken)) continue;
      const who = record.account.chatUserId;
      const refresh = this.deps.cipher.open(record.refreshToken, who);
      if (!refresh.ok) continue;
      const access = record.access ? this.deps.cipher.open(record.access.token, who) : undefined;
      // A refresh on another replica may have just rotated the token: never write an older one over it.
      const latest = await this.deps.records.get(who);
      if (latest?.refreshToken.data !== record.refreshToken.data) continue;
      await this.deps.records.put({
        ...record, refreshToken: this.deps.cipher.seal(refresh.value, who),
        ...(record.access && access?.ok ? { access: { ...record.access, token: this.deps.cipher.seal(access.value, who) } } : { access: undefined }),
      });
      count++;
    }
    return count;
  }

  private reusable(record: LinkRecord): string | undefined {
    if (!record.access || Date.parse(record.access.expiresAt) - REUSE_MARGIN_MS <= this.deps.clock.now().getTime()) return undefined;
    const opened = this.deps.cipher.open(record.access.token, record.account.chatUserId);
    return opened.ok ? opened.value : undefined;
  }

  private async refresh(record: LinkRecord): Promise<TokenAnswer> {
    const who = record.account.chatUserId;
    const refreshToken = this.deps.cipher.open(record.refreshToken, who);
    if (!refreshToken.ok) {
      return { ok: false, reason: 'expired', detail: `The stored sign-in of ${who} cannot be read (its key is no longer configured); link again with \`link\`.` };
    }
    const result = await this.deps.entra.refresh(refreshToken.value);
    if (!result.ok) {
      this.deps.log.warn({ chatUserId: who, kind: result.kind, error: result.kind === 'refused' ? result.error : undefined }, 'delegated token refresh failed');
      if (result.kind === 'unavailable') return { ok: false, reason: 'unavailable', detail: `Entra could not be asked for a token: ${result.detail}.` };
      const expired = result.error === 'invalid_grant';
      return { ok: false, reason: expired ? 'expired' : 'refused', detail: expired ? `The sign-in of ${record.account.userPrincipalName} has expired or was revoked; link again with \`link\`. (${result.detail})` : `Entra refused a token for ${record.account.userPrincipalName}: ${result.detail}` };
    }
    const now = this.deps.clock.now();
    const { accessToken, refreshToken: rotated, expiresInS } = result.tokens;
    // Unlinked (or linked to someone else) meanwhile: hand out this one token, but do not bring the old link back.
    const current = await this.deps.records.get(who);
    if (current && current.account.objectId === record.account.objectId) {
      await this.deps.records.put({
        account: record.account,
        refreshToken: rotated ? this.deps.cipher.seal(rotated, who) : record.refreshToken,
        access: { token: this.deps.cipher.seal(accessToken, who), expiresAt: new Date(now.getTime() + expiresInS * 1000).toISOString() },
        updatedAt: now.toISOString(),
      });
    }
    return { ok: true, token: accessToken };
  }
}
