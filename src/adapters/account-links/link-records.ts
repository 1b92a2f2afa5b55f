/**
 * Where links live: the store's documents, so every replica sees them and a restart loses none.
 * Sign-ins in progress are keyed by the SHA-256 of their `state` (the state itself, a bearer value
 * for 10 minutes, is not stored); links by chat user. Tokens and the PKCE verifier are sealed
 * (token-cipher.ts): a stored row holds no token text.
 */
import { createHash } from 'node:crypto';
import type { LinkedAccount, Store } from '../../core/ports';
import type { SealedToken } from './token-cipher';

export const PENDING_SIGN_INS = 'account-link-sign-ins';
export const ACCOUNT_LINKS = 'account-links';

export interface PendingSignIn {
  chatUserId: string;
  platform: string;
  displayName: string;
  aadObjectId?: string;
  email?: string;
  /** The PKCE code verifier, sealed and bound to the chat user. */
  verifier: SealedToken;
  nonce: string;
  createdAt: string;
  expiresAt: string;
}

export interface LinkRecord {
  account: LinkedAccount;
  refreshToken: SealedToken;
  /** The last Azure DevOps access token, reused until 5 minutes before it expires. */
  access?: { token: SealedToken; expiresAt: string };
  updatedAt: string;
}

export const stateKey = (state: string): string => createHash('sha256').update(state).digest('hex');

export class LinkRecords {
  constructor(private readonly store: Store) {}

  putPending(state: string, doc: PendingSignIn): Promise<void> {
    return this.store.putDoc(PENDING_SIGN_INS, stateKey(state), doc);
  }

  /**
   * Takes a sign-in once: the document is read and deleted, and only the caller whose delete removed
   * it gets it (a replayed or concurrent callback gets null).
   */
  async takePending(state: string): Promise<PendingSignIn | null> {
    const key = stateKey(state);
    const doc = await this.store.getDoc<PendingSignIn>(PENDING_SIGN_INS, key);
    if (!doc) return null;
    return (await this.store.deleteDoc(PENDING_SIGN_INS, key)) ? doc : null;
  }

  /** Drops sign-ins nobody finished; returns how many. */
  async dropExpired(now: Date): Promise<number> {
    const expired = (await this.store.listDocs<PendingSignIn>(PENDING_SIGN_INS)).filter((d) => Date.parse(d.value.expiresAt) <= now.getTime());
    await Promise.all(expired.map((d) => this.store.deleteDoc(PENDING_SIGN_INS, d.key)));
    return expired.length;
  }

  get(chatUserId: string): Promise<LinkRecord | null> {
    return this.store.getDoc<LinkRecord>(ACCOUNT_LINKS, chatUserId);
  }

  put(record: LinkRecord): Promise<void> {
    return this.store.putDoc(ACCOUNT_LINKS, record.account.chatUserId, record);
  }

  delete(chatUserId: string): Promise<boolean> {
    return this.store.deleteDoc(ACCOUNT_LINKS, chatUserId);
  }

  list(): Promise<LinkRecord[]> {
    return this.store.listDocs<LinkRecord>(ACCOUNT_LINKS).then((docs) => docs.map((d) => d.value));
  }
}
