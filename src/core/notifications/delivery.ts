/**
 * The outbox handlers that post notifications, one channel at a time and at the channel's rate.
 *
 * `notify` posts one event's card. When more than `digestThreshold` deliveries of a channel are
 * pending within `windowMs` (a burst), the delivery being run records one `notify-digest` effect
 * listing them and marks each as folded into it; while that digest waits for the channel's turn,
 * later deliveries join it instead of waiting themselves, and it takes in whatever else is pending
 * when it posts. A burst therefore costs one message per rate slot, and each delivery runs about
 * once. The digest key derives from the delivery that created it, so a replay of that delivery
 * finds the same digest and its member list; the digest re-checks its members before posting (one
 * already posted on its own is left out). Posting is at-least-once like every outbox effect: a
 * crash between a post and its completion posts again.
 */
import { BotError } from '../errors';
import { retryAfterOf } from '../outbox/backoff';
import type { OutboxEffect } from '../outbox/types';
import type { EffectHandler } from '../outbox/worker';
import type { Chat, Clock, Logger, Store } from '../ports';
import { ChannelBacklog, type PendingItem } from './backlog';
import { DIGEST_ITEMS_SHOWN, digestCard, digestLine, eventCard } from './cards';
import { DigestBook } from './digest-book';
import { NOTIFY_EFFECT, type NotifyPayload } from './router';

export const DIGEST_EFFECT = 'notify-digest';
export { FOLDED_NS } from './digest-book';

export interface DeliveryOptions {
  /** Minimum gap between two posts in one channel (Slack: about 1 message per second). */
  minIntervalMs?: number;
  /** More pending deliveries than this in a channel within `windowMs` become one digest. */
  digestThreshold?: number;
  windowMs?: number;
  /** A delivery that has waited this many attempts folds whatever else is pending with it. */
  foldAfterAttempts?: number;
}

export interface PostedInfo { channel: string; eventIds: string[]; digest: boolean; messageId: string }

export interface DeliveryDeps {
  store: Store;
  chat: Chat;
  clock: Clock;
  log: Logger;
  backlog?: ChannelBacklog;
  options?: DeliveryOptions;
  /** Observes every post (metrics, benchmarks). */
  onPosted?: (info: PostedInfo) => void;
}

/** `continues`: the rest of a digest too long for one message (its members were settled by that digest). */
interface DigestPayload { channel: string; members: PendingItem[]; continues?: string }

export function notificationEffectHandlers(deps: DeliveryDeps): Record<string, EffectHandler> {
  const backlog = deps.backlog ?? new ChannelBacklog(deps.store, deps.clock);
  const o = { minIntervalMs: 1000, digestThreshold: 3, windowMs: 60_000, foldAfterAttempts: 4, ...deps.options };
  const { store, chat, clock } = deps;
  const digests = new DigestBook(store);
  const nowMs = () => clock.now().getTime();

  /** Posts if the channel's turn has come; otherwise the worker is told when to come back. */
  async function post(channel: string, message: Parameters<Chat['post']>[1]): Promise<string> {
    const wait = await backlog.waitMs(channel, nowMs());
    if (wait > 0) throw new BotError('upstream_throttled', `channel ${channel} is rate limited`, { details: { retryAfterMs: wait } });
    try {
      const ref = await chat.post(channel, message);
      await backlog.sent(channel, nowMs(), o.minIntervalMs);
      return ref.messageId;
    } catch (err) {
      const retryAfter = retryAfterOf(err);
      if (retryAfter !== undefined) await backlog.holdUntil(channel, nowMs() + retryAfter);
      throw err;
    }
  }

  async function fold(effect: OutboxEffect, channel: string, pending: PendingItem[]): Promise<Record<string, unknown>> {
    const digestKey = `digest:${effect.key}`;
    const existing = await store.getEffect(digestKey);
    const members = existing ? (existing.payload as unknown as DigestPayload).members : [...pending].sort((a, b) => a.at - b.at);
    if (!existing) {
      const notBefore = new Date(nowMs() + (await backlog.waitMs(channel, nowMs()))).toISOString();
      await store.enqueueEffects([{ key: digestKey, kind: DIGEST_EFFECT, payload: { channel, members } as unknown as Record<string, unknown>, notBefore }]);
    }
    for (const m of members) { await digests.mark(m.key, digestKey); await backlog.remove(channel, m.key); }
    await backlog.setOpenDigest(channel, digestKey);
    deps.log.info({ channel, digestKey, members: members.length }, 'notifications folded into a digest');
    return { foldedInto: digestKey };
  }

  /** The digest still waiting to post in this channel, if any (a dead one does not hold anything). */
  async function openDigest(channel: string): Promise<string | undefined> {
    const open = await backlog.openDigest(channel);
    if (open === undefined) return undefined;
    const status = (await store.getEffect(open))?.status;
    if (status === 'pending' || status === 'running') return open;
    await backlog.setOpenDigest(channel, undefined);
    return undefined;
  }

  const notify: EffectHandler = async (effect) => {
    const { channel, event } = effect.payload as unknown as NotifyPayload;
    return backlog.withChannel(channel, async () => {
      const folded = await digests.foldedInto(effect.key);
      if (folded) { await backlog.remove(channel, effect.key); return { foldedInto: folded }; }
      const item: PendingItem = { key: effect.key, eventId: event.id, ...digestLine(event), at: nowMs() };
      const open = await openDigest(channel);
      if (open) {
        await digests.join(open, [item]);
        await backlog.remove(channel, effect.key);
        return { foldedInto: open };
      }
      await backlog.add(channel, item);
      const pending = await backlog.pending(channel);
      const recent = pending.filter((p) => p.at >= nowMs() - o.windowMs);
      if (recent.length > o.digestThreshold || (effect.attempts >= o.foldAfterAttempts && pending.length > 1)) return fold(effect, channel, pending);
      const messageId = await post(channel, eventCard(event));
      await backlog.remove(channel, effect.key);
      deps.onPosted?.({ channel, eventIds: [event.id], digest: false, messageId });
      return { posted: true, messageId };
    });
  };

  const digest: EffectHandler = async (effect) => {
    const { channel, members, continues } = effect.payload as unknown as DigestPayload;
    return backlog.withChannel(channel, async () => {
      const wait = await backlog.waitMs(channel, nowMs());
      if (wait > 0) throw new BotError('upstream_throttled', `channel ${channel} is rate limited`, { details: { retryAfterMs: wait } });
      if (continues !== undefined) return postPage(effect, channel, members);
      const seen = new Set<string>();
      const candidates = [...members, ...(await digests.joined(effect.key))].filter((m) => !seen.has(m.key) && seen.add(m.key));
      const newcomers = (await backlog.pending(channel)).filter((p) => !seen.has(p.key));
      if (newcomers.length > 0) await digests.join(effect.key, newcomers);
      const live: PendingItem[] = [];
      for (const m of [...candidates, ...newcomers]) {
        if (!(await digests.mark(m.key, effect.key))) continue;
        const own = await store.getEffect(m.key);
        if (own?.status === 'done' && own.result?.posted === true) continue;
        live.push(m);
      }
      if ((await backlog.openDigest(channel)) === effect.key) await backlog.setOpenDigest(channel, undefined);
      for (const m of live) await backlog.remove(channel, m.key);
      if (live.length === 0) return { posted: false, members: 0 };
      return postPage(effect, channel, live);
    });
  };

  /**
   * One message names at most DIGEST_ITEMS_SHOWN deliveries; the rest go on in a digest of their
   * own, recorded before this one posts (so a crash loses none of them) and due at the channel's
   * next slot. Every failure in a burst is named somewhere in the channel.
   */
  async function postPage(effect: OutboxEffect, channel: string, items: PendingItem[]): Promise<Record<string, unknown>> {
    const page = items.slice(0, DIGEST_ITEMS_SHOWN);
    const rest = items.slice(DIGEST_ITEMS_SHOWN);
    if (rest.length > 0) {
      const notBefore = new Date(nowMs() + o.minIntervalMs).toISOString();
      await store.enqueueEffects([{ key: `${effect.key}:next`, kind: DIGEST_EFFECT, payload: { channel, members: rest, continues: effect.key } as unknown as Record<string, unknown>, notBefore }]);
    }
    const messageId = await post(channel, digestCard(page, rest.length));
    const eventIds = page.map((m) => m.eventId);
    deps.onPosted?.({ channel, eventIds, digest: true, messageId });
    return { posted: true, digest: true, messageId, members: page.length, eventIds, ...(rest.length > 0 ? { continuedIn: `${effect.key}:next` } : {}) };
  }

  return { [NOTIFY_EFFECT]: notify, [DIGEST_EFFECT]: digest };
}
