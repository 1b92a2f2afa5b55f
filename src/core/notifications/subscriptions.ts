/**
 * Channel subscriptions, kept as one document per channel (namespace `subscriptions`). The
 * environments' `channels.notifications` subscribe those channels to the environment's failed runs
 * and failed releases; those defaults come from config on every read (so config changes apply) and
 * an `unsubscribe` of one is remembered as dismissed.
 */
import type { Store } from '../ports';
import type { BotSettings } from '../settings';
import { KINDS_OF, type NormalisedEvent, type SubscriptionKind } from './event';
import { canonicalFilter, filterMatches, parseFilter, type ParsedFilter } from './filters';

export const SUBSCRIPTIONS_NS = 'subscriptions';

export interface Subscription {
  /** `<kind>|<env or *>|<canonical filter>`: equal subscriptions have equal ids. */
  id: string;
  channel: string;
  kind: SubscriptionKind;
  env?: string;
  /** Canonical filter text, '' for none. */
  filter: string;
  origin: 'config' | 'command';
  createdBy?: string;
  createdAt?: string;
}

interface ChannelDoc { channel: string; entries: Subscription[]; dismissed: string[] }

export function subscriptionId(kind: SubscriptionKind, env: string | undefined, filter: string): string {
  return `${kind}|${env?.toLowerCase() ?? '*'}|${filter}`;
}

export function makeSubscription(channel: string, kind: SubscriptionKind, env: string | undefined, filterText: string | undefined, origin: Subscription['origin']): Subscription {
  const filter = canonicalFilter(parseFilter(kind, filterText));
  return { id: subscriptionId(kind, env, filter), channel, kind, ...(env ? { env } : {}), filter, origin };
}

export function defaultSubscriptions(settings: BotSettings): Subscription[] {
  return settings.environments.flatMap((env) => env.channels.notifications.flatMap((channel) => [
    makeSubscription(channel, 'failed-runs', env.name, undefined, 'config'),
    makeSubscription(channel, 'releases', env.name, 'kind:failed', 'config'),
  ]));
}

export function subscriptionMatches(sub: Subscription, event: NormalisedEvent, parsed: ParsedFilter = parseFilter(sub.kind, sub.filter)): boolean {
  if (sub.env !== undefined && sub.env.toLowerCase() !== event.env?.toLowerCase()) return false;
  return filterMatches(parsed, KINDS_OF[sub.kind], event);
}

export class SubscriptionBook {
  constructor(private readonly store: Store, private readonly settings: BotSettings) {}

  async forChannel(channel: string): Promise<Subscription[]> {
    const doc = await this.read(channel);
    return merge(defaultSubscriptions(this.settings).filter((s) => s.channel === channel), doc);
  }

  /** Every active subscription of every channel (for routing). */
  async all(): Promise<Subscription[]> {
    const docs = new Map((await this.store.listDocs<ChannelDoc>(SUBSCRIPTIONS_NS)).map((d) => [d.value.channel, d.value]));
    const defaults = defaultSubscriptions(this.settings);
    const channels = new Set([...defaults.map((s) => s.channel), ...docs.keys()]);
    return [...channels].flatMap((c) => merge(defaults.filter((s) => s.channel === c), docs.get(c) ?? emptyDoc(c)));
  }

  /** Adds `sub` unless an equal one is active; returns whether anything changed. */
  async add(sub: Subscription): Promise<boolean> {
    const doc = await this.read(sub.channel);
    if ((await this.forChannel(sub.channel)).some((s) => s.id === sub.id)) return false;
    const isDefault = defaultSubscriptions(this.settings).some((s) => s.channel === sub.channel && s.id === sub.id);
    if (isDefault) doc.dismissed = doc.dismissed.filter((id) => id !== sub.id);
    else doc.entries.push(sub);
    await this.store.putDoc(SUBSCRIPTIONS_NS, sub.channel, doc);
    return true;
  }

  /**
   * The channel's subscriptions of `kind`, in `env` and with exactly `filterText` (canonical form)
   * when those are given.
   */
  async matching(channel: string, kind: SubscriptionKind, env?: string, filterText?: string): Promise<Subscription[]> {
    const filter = filterText === undefined ? undefined : canonicalFilter(parseFilter(kind, filterText));
    return (await this.forChannel(channel)).filter((s) => s.kind === kind
      && (env === undefined || s.env?.toLowerCase() === env.toLowerCase())
      && (filter === undefined || s.filter === filter));
  }

  /** Removes these subscriptions of the channel (by id); returns those removed. */
  async remove(channel: string, subs: readonly Subscription[]): Promise<Subscription[]> {
    const doc = await this.read(channel);
    const ids = new Set(subs.map((s) => s.id));
    const hit = (s: Subscription) => ids.has(s.id);
    const removed = (await this.forChannel(channel)).filter(hit);
    if (removed.length === 0) return [];
    doc.entries = doc.entries.filter((s) => !hit(s));
    doc.dismissed = [...new Set([...doc.dismissed, ...removed.filter((s) => s.origin === 'config').map((s) => s.id)])];
    await this.store.putDoc(SUBSCRIPTIONS_NS, channel, doc);
    return removed;
  }

  private async read(channel: string): Promise<ChannelDoc> {
    const doc = await this.store.getDoc<ChannelDoc>(SUBSCRIPTIONS_NS, channel);
    return doc ? { channel, entries: doc.entries ?? [], dismissed: doc.dismissed ?? [] } : emptyDoc(channel);
  }
}

function emptyDoc(channel: string): ChannelDoc {
  return { channel, entries: [], dismissed: [] };
}

function merge(defaults: Subscription[], doc: ChannelDoc): Subscription[] {
  const active = defaults.filter((s) => !doc.dismissed.includes(s.id));
  return [...active, ...doc.entries.filter((e) => !active.some((a) => a.id === e.id))];
}
