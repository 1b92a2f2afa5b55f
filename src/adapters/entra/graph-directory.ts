/**
 * Who someone is in Entra, for approver lists that name people by email or by group: a user's mail
 * (else UPN) by object id, and transitive group membership (checkMemberGroups) by object id or by
 * UPN/email. Answers are kept in the store with a TTL, so a burst of approvals costs Graph one call
 * per person and group, and every replica shares them. "No such user" means no; any other failure is
 * thrown as a BotError, because a Graph outage must neither grant nor pass for "not an approver".
 */
import { BotError } from '../../core/errors';
import type { Clock, Directory, Logger, Store } from '../../core/ports';
import { GraphClient, GraphError, odataString } from './graph-client';

export const GRAPH_DIRECTORY_NAMESPACE = 'graph-directory';
export const DEFAULT_DIRECTORY_TTL_MS = 10 * 60_000;
/** Short, so someone just added to a group is not kept waiting by a remembered "no". */
export const DEFAULT_NEGATIVE_TTL_MS = 60_000;
/** Lookups run inside a click that Teams and Slack expect answered within seconds. */
export const DEFAULT_DIRECTORY_TIMEOUT_MS = 5_000;
/** Application permissions the lookups need (admin consent). */
export const GRAPH_DIRECTORY_PERMISSIONS = 'User.Read.All and GroupMember.Read.All';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@/?#]+@[^\s@/?#]+$/;

export interface GraphDirectoryOptions {
  /** Microsoft Graph base URL without the version. */
  graphEndpoint: string;
  getToken(scope: string): Promise<string>;
  /** PEM of a private CA to trust (emulator, test fakes). */
  ca?: string;
  store: Store;
  clock?: Clock;
  log?: Logger;
  ttlMs?: number;
  negativeTtlMs?: number;
  timeoutMs?: number;
}

interface Cached<T> { value: T; fetchedAt: string }
interface GraphUser { id?: string; mail?: string | null; userPrincipalName?: string | null }

export class GraphDirectory implements Directory {
  private readonly graph: GraphClient;
  private readonly clock: Clock;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: GraphDirectoryOptions) {
    this.graph = new GraphClient({ endpoint: opts.graphEndpoint, getToken: opts.getToken, ca: opts.ca, timeoutMs: opts.timeoutMs ?? DEFAULT_DIRECTORY_TIMEOUT_MS });
    this.clock = opts.clock ?? { now: () => new Date() };
  }

  /** Only `teams:<Entra object id>` principals can be looked up by id alone. */
  async emailOf(principalId: string): Promise<string | undefined> {
    const id = principalId.toLowerCase().startsWith('teams:') ? principalId.slice('teams:'.length) : '';
    return GUID.test(id) ? this.emailOfObject(id) : undefined;
  }

  /** The user's mail, else their UPN, lower-cased; undefined when Entra has no such user. */
  async emailOfObject(aadObjectId: string): Promise<string | undefined> {
    const id = aadObjectId.toLowerCase();
    if (!GUID.test(id)) return undefined;
    const email = await this.cached(`email:${id}`, async () => {
      const user = await this.call<GraphUser>('look up your email', 'GET', `/users/${id}?$select=mail,userPrincipalName`);
      const found = user?.mail || user?.userPrincipalName;
      return found ? found.toLowerCase() : null;
    });
    return email ?? undefined;
  }

  /** Transitive membership, by Entra object id when known, else by UPN/email. */
  async isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean> {
    const group = groupObjectId.toLowerCase();
    if (!GUID.test(group)) return false;
    const aad = principal.aadObjectId?.toLowerCase();
    const user = aad && GUID.test(aad) ? aad : principal.email?.toLowerCase();
    if (!user || (user !== aad && !EMAIL.test(user))) return false;
    return (await this.cached(`member:${user}:${group}`, () => this.checkMember(user, group, user !== aad))) === true;
  }

  private async checkMember(user: string, group: string, byEmail: boolean): Promise<boolean | null> {
    const first = await this.memberGroups(user, group);
    if (first !== null || !byEmail) return first;
    // An email need not be the UPN: find the user whose mail it is, then ask again by object id.
    const filter = encodeURIComponent(`mail eq ${odataString(user)}`);
    const found = await this.call<{ value?: GraphUser[] }>('check your group membership', 'GET', `/users?$filter=${filter}&$select=id`);
    const ids = (found?.value ?? []).map((u) => u.id).filter((id): id is string => typeof id === 'string' && GUID.test(id));
    return ids.length === 1 ? this.memberGroups(ids[0], group) : null;
  }

  /** null when Graph knows no such user. */
  private async memberGroups(user: string, group: string): Promise<boolean | null> {
    const res = await this.call<{ value?: unknown }>('check your group membership', 'POST', `/users/${encodeURIComponent(user)}/checkMemberGroups`, { groupIds: [group] });
    if (res === null) return null;
    if (!Array.isArray(res.value)) throw new BotError('upstream_invalid', 'Microsoft Graph gave an unreadable answer about your group membership.', { remedy: 'Try again; if it keeps failing, give the correlation id to the bot operator.' });
    return res.value.some((g) => typeof g === 'string' && g.toLowerCase() === group);
  }

  private async call<T>(what: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | null> {
    try {
      return await this.graph.call<T>(method, path, body, true);
    } catch (e) {
      throw graphFailure(what, e);
    }
  }

  /** A fresh stored answer, else one Graph call shared by concurrent checks of the same key. */
  private async cached<T>(key: string, fetch: () => Promise<T | null>): Promise<T | null> {
    const hit = await this.opts.store.getDoc<Cached<T | null>>(GRAPH_DIRECTORY_NAMESPACE, key);
    if (hit && this.fresh(hit)) return hit.value;
    let pending = this.inflight.get(key) as Promise<T | null> | undefined;
    if (!pending) {
      pending = (async () => {
        const value = await fetch();
        await this.opts.store.putDoc<Cached<T | null>>(GRAPH_DIRECTORY_NAMESPACE, key, { value, fetchedAt: this.clock.now().toISOString() });
        this.opts.log?.debug({ key: key.split(':')[0], found: value !== null && value !== false }, 'graph directory answer cached');
        return value;
      })().finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private fresh(hit: Cached<unknown>): boolean {
    const positive = hit.value !== null && hit.value !== false;
    const ttl = positive ? this.opts.ttlMs ?? DEFAULT_DIRECTORY_TTL_MS : this.opts.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
    const age = this.clock.now().getTime() - Date.parse(hit.fetchedAt);
    return age >= 0 && age < ttl;
  }
}

/** What the person who clicked sees: the check could not be made, not that they are not allowed. */
export function graphFailure(what: string, e: unknown): BotError {
  if (e instanceof BotError) return e;
  const status = e instanceof GraphError ? e.status : undefined;
  const details = { service: 'graph', ...(status ? { status } : {}), ...(e instanceof GraphError ? { graphCode: e.code } : {}), cause: (e as Error)?.message ?? String(e) };
  const label = status ? ` (HTTP ${status})` : '';
  if (status === 401 || status === 403) {
    return new BotError('upstream_auth', `Microsoft Graph refused to ${what}${label}, so nothing was decided.`, {
      remedy: `Ask the bot operator to grant the bot identity the Graph application permissions ${GRAPH_DIRECTORY_PERMISSIONS}.`, details, cause: e,
    });
  }
  if (status === 429) {
    return new BotError('upstream_throttled', `Microsoft Graph is busy and could not ${what}, so nothing was decided.`, { remedy: 'Try again in a minute.', details, cause: e });
  }
  return new BotError('upstream_unavailable', `Could not ${what} in Microsoft Graph${label}, so nothing was decided.`, {
    remedy: 'Try again in a minute; if it keeps failing, ask the bot operator to check that the bot can reach Microsoft Graph.', details, cause: e,
  });
}
