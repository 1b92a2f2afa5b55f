import type { AccountLinking, AccountLinks, DelegatedTokenFailure, LinkedAccount, LinkStarter } from '../../src/core/ports';

/**
 * Linked accounts in memory: each linked chat user gets a token of its own (`token-<chat id>`), or
 * the failure a test sets. Counts token requests.
 */
export class FakeAccountLinks implements AccountLinks, AccountLinking {
  private readonly accounts = new Map<string, LinkedAccount>();
  readonly failures = new Map<string, DelegatedTokenFailure>();
  tokenCalls = 0;

  link(chatUserId: string, person: { objectId: string; displayName: string; userPrincipalName: string }): this {
    this.accounts.set(chatUserId, { chatUserId, tenantId: 'tenant-1', linkedAt: '2026-11-01T00:00:00.000Z', ...person });
    return this;
  }

  async begin(starter: LinkStarter): Promise<{ url: string; expiresAt: string }> {
    return { url: `https://login.example/authorize?for=${encodeURIComponent(starter.chatUserId)}`, expiresAt: '2026-11-01T00:10:00.000Z' };
  }

  async unlink(chatUserId: string): Promise<LinkedAccount | null> {
    const was = this.accounts.get(chatUserId) ?? null;
    this.accounts.delete(chatUserId);
    return was;
  }

  async linkedAccount(chatUserId: string): Promise<LinkedAccount | null> {
    return this.accounts.get(chatUserId) ?? null;
  }

  async adoAccessToken(chatUserId: string): Promise<{ ok: true; token: string } | { ok: false; reason: DelegatedTokenFailure; detail: string }> {
    this.tokenCalls++;
    const failure = this.failures.get(chatUserId);
    if (failure) return { ok: false, reason: failure, detail: `the sign-in of ${chatUserId} is ${failure}` };
    if (!this.accounts.has(chatUserId)) return { ok: false, reason: 'not-linked', detail: `${chatUserId} is not linked` };
    return { ok: true, token: `token-${chatUserId}` };
  }
}
