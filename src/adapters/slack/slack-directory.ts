/**
 * The Directory for Slack principals: a user's email comes from users.info (scope
 * users:read.email), cached in the store with a TTL so approval checks do not call Slack each time
 * and every replica shares the answer. Group membership is not Slack's to say: it is delegated to
 * an injected resolver (Microsoft Graph) and denied without one.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock, Directory, Logger, Store } from '../../core/ports';
import { bareId, PREFIX } from './ids';
import { platformCode, slackError } from './slack-errors';

export const USERS_NAMESPACE = 'slack-users';
export const DEFAULT_USER_TTL_MS = 6 * 3_600_000;

interface CachedUser { email: string | null; fetchedAt: string }

export interface SlackDirectoryOptions {
  client: WebClient;
  store: Store;
  clock?: Clock;
  log?: Logger;
  ttlMs?: number;
  /** Group membership (Entra groups named in approver lists); absent means "not a member". */
  groups?: Pick<Directory, 'isMemberOf'>;
}

export class SlackDirectory implements Directory {
  private readonly inflight = new Map<string, Promise<string | undefined>>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(private readonly opts: SlackDirectoryOptions) {
    this.clock = opts.clock ?? { now: () => new Date() };
    this.ttlMs = opts.ttlMs ?? DEFAULT_USER_TTL_MS;
  }

  async emailOf(principalId: string): Promise<string | undefined> {
    if (!principalId.startsWith(PREFIX)) return undefined;
    const user = bareId(principalId);
    const cached = await this.opts.store.getDoc<CachedUser>(USERS_NAMESPACE, user);
    if (cached && this.clock.now().getTime() - Date.parse(cached.fetchedAt) < this.ttlMs) return cached.email ?? undefined;
    // Concurrent checks for the same person (N approvers clicking) share one users.info call.
    let pending = this.inflight.get(user);
    if (!pending) {
      pending = this.fetch(user).finally(() => this.inflight.delete(user));
      this.inflight.set(user, pending);
    }
    return pending;
  }

  async isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean> {
    if (!this.opts.groups) return false;
    const email = principal.email ?? (await this.emailOf(principal.id));
    return this.opts.groups.isMemberOf({ ...principal, ...(email ? { email } : {}) }, groupObjectId);
  }

  private async fetch(user: string): Promise<string | undefined> {
    let email: string | null;
    try {
      const res = await this.opts.client.users.info({ user });
      const u = res.user;
      // Bots and deactivated accounts never count as the person an email names.
      email = u && !u.deleted && !u.is_bot && u.profile?.email ? u.profile.email.toLowerCase() : null;
    } catch (e) {
      if (platformCode(e) !== 'user_not_found') throw slackError('users.info', e, `${PREFIX}${user}`);
      email = null;
    }
    await this.opts.store.putDoc<CachedUser>(USERS_NAMESPACE, user, { email, fetchedAt: this.clock.now().toISOString() });
    this.opts.log?.debug({ user, hasEmail: email !== null }, 'slack user email resolved');
    return email ?? undefined;
  }
}
