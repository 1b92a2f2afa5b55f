/**
 * The outbox handlers that post notifications, one channel at a time and at the channel's rate.
 *
 * `notify` posts one event's card. When more than `digestThreshold` deliveries of a channel are
 * pending within `windowMs` (a burst), the delivery being run instead records one `notify-digest`
 * effect listing them all and marks each member as folded into it (doc namespace `notify-folded`);
 * members run later find their mark and complete without posting. The digest key derives from the
 * delivery that created it, so a replay of that delivery finds the same digest and reuses its
 * member list; the digest re-checks its members (a member that was posted on its own is left out).
 * While a digest waits for the channel's turn, later deliveries wait too and the digest takes them
 * in when it posts (recorded first under `notify-digest-extra`, so a replay keeps them), so a long
 * burst costs one message per rate slot, not one per batch.
 * Posting is at-least-once like every outbox effect: a crash between the post and its completion
 * posts again.
 */
import { BotError } from '../errors';
import { retryAfterOf } from '../outbox/backoff';
import type { OutboxEffect } from '../outbox/types';
import type { EffectHandler } from '../outbox/worker';
import type { Chat, Clock, Logger, Store } from '../ports';
import { ChannelBacklog, type PendingItem } from './backlog';
import { digestCard, digestLine, eventCard } from './cards';
import { NOTIFY_EFFECT, type NotifyPayload } from './router';

export const DIGEST_EFFECT = 'notify-digest';
export const FOLDED_NS = 'notify-folded';
export const DIGEST_EXTRA_NS = 'notify-digest-extra';

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

interface DigestPayload { channel: string; members: PendingItem[] }
interface FoldMark { digestKey: string }

export function notificationEffectHandlers(deps: DeliveryDeps): Record<string, EffectHandler> {
  const backlog = deps.backlog ?? new ChannelBacklog();
  const o = { minIntervalMs: 1000, digestThreshold: 3, windowMs: 60_000, foldAfterAttempts: 4, ...deps.options };
  const { store, chat, clock } = deps;

  const throttled = (channel: string, waitMs: number) => new BotError('upstream_throttled', `channel ${channel} is rate limited`, { details: { retryAfterMs: waitMs } });

  /** Posts now if the channel's turn has come; otherwise asks the worker to come back then. */
  async function post(channel: string, message: Parameters<Chat['post']>[1]): Promise<string> {
    const wait = backlog.waitMs(channel, clock.now().getTime());
    if (wait > 0) throw throttled(channel, wait);
    try {
      const ref = await chat.post(channel, message);
      backlog.sent(channel, clock.now().getTime(), o.minIntervalMs);
      return ref.messageId;
    } catch (err) {
      const retryAfter = retryAfterOf(err);
      if (retryAfter !== undefined) backlog.holdUntil(channel, clock.now().getTime() + retryAfter);
      throw err;
    }
  }

  async function fold(effect: OutboxEffect, channel: string, pending: PendingItem[]): Promise<Record<string, unknown>> {
    const digestKey = `digest:${effect.key}`;
    const existing = await store.getEffect(digestKey);
    const members = existing ? (existing.payload as unknown as DigestPayload).members : pending.sort((a, b) => a.at - b.at);
    if (!existing) {
      const notBefore = new Date(clock.now().getTime() + backlog.waitMs(channel, clock.now().getTime())).toISOString();
      await store.enqueueEffects([{ key: digestKey, kind: DIGEST_EFFECT, payload: { channel, members } as unknown as Record<string, unknown>, notBefore }]);
    }
    for (const m of members) {
      if (!(await store.getDoc<FoldMark>(FOLDED_NS, m.key))) await store.putDoc<FoldMark>(FOLDED_NS, m.key, { digestKey });
      backlog.remove(channel, m.key);
    }
    backlog.setOpenDigest(channel, digestKey);
    deps.log.info({ channel, digestKey, members: members.length }, 'notifications folded into a digest');
    return { foldedInto: digestKey };
  }

  const notify: EffectHandler = async (effect) => {
    const { channel, event } = effect.payload as unknown as NotifyPayload;
    return backlog.withChannel(channel, async () => {
      const mark = await store.getDoc<FoldMark>(FOLDED_NS, effect.key);
      if (mark) { backlog.remove(channel, effect.key); return { foldedInto: mark.digestKey }; }
      const nowMs = clock.now().getTime();
      backlog.add(channel, { key: effect.key, eventId: event.id, ...digestLine(event), at: nowMs });
      const pending = backlog.pending(channel);
      const recent = pending.filter((p) => p.at >= nowMs - o.windowMs);
      // A digest is about to post in this channel: it takes this delivery in when it does.
      if (await digestStillOpen(channel, effect.key)) throw throttled(channel, Math.max(backlog.waitMs(channel, nowMs), o.minIntervalMs));
      const waited = effect.attempts >= o.foldAfterAttempts && pending.length > 1;
      if (recent.length > o.digestThreshold || waited) return fold(effect, channel, pending);
      const messageId = await post(channel, eventCard(event));
      backlog.remove(channel, effect.key);
      deps.onPosted?.({ channel, eventIds: [event.id], digest: false, messageId });
      return { posted: true, messageId };
    });
  };

  const digest: EffectHandler = async (effect) => {
    const { channel, members } = effect.payload as unknown as DigestPayload;
    return backlog.withChannel(channel, async () => {
      const wait = backlog.waitMs(channel, clock.now().getTime());
      if (wait > 0) throw throttled(channel, wait);
      const all = await absorb(effect.key, channel, members);
      const live: PendingItem[] = [];
      for (const m of all) {
        const mark = await store.getDoc<FoldMark>(FOLDED_NS, m.key);
        if (mark && mark.digestKey !== effect.key) continue;
        const own = await store.getEffect(m.key);
        if (own?.status === 'done' && own.result?.posted === true) continue;
        if (!mark) await store.putDoc<FoldMark>(FOLDED_NS, m.key, { digestKey: effect.key });
        live.push(m);
      }
      if (backlog.openDigest(channel) === effect.key) backlog.setOpenDigest(channel, undefined);
      if (live.length === 0) return { posted: false, members: 0 };
      const messageId = await post(channel, digestCard(live));
      for (const m of live) backlog.remove(channel, m.key);
      const eventIds = live.map((m) => m.eventId);
      deps.onPosted?.({ channel, eventIds, digest: true, messageId });
      return { posted: true, digest: true, messageId, members: live.length, eventIds };
    });
  };

  /** A digest that died (chat down for too long) must not hold the channel's deliveries forever. */
  async function digestStillOpen(channel: string, ownKey: string): Promise<boolean> {
    const open = backlog.openDigest(channel);
    if (open === undefined || open === `digest:${ownKey}`) return false;
    const status = (await store.getEffect(open))?.status;
    if (status === 'pending' || status === 'running') return true;
    backlog.setOpenDigest(channel, undefined);
    return false;
  }

  /** The digest's members plus whatever became pending in the channel since it was recorded. */
  async function absorb(digestKey: string, channel: string, members: PendingItem[]): Promise<PendingItem[]> {
    const extra = (await store.getDoc<{ members: PendingItem[] }>(DIGEST_EXTRA_NS, digestKey))?.members ?? [];
    const known = new Set([...members, ...extra].map((m) => m.key));
    const newcomers = backlog.pending(channel).filter((p) => !known.has(p.key));
    if (newcomers.length > 0) {
      extra.push(...newcomers);
      await store.putDoc(DIGEST_EXTRA_NS, digestKey, { members: extra });
    }
    return [...members, ...extra];
  }

  return { [NOTIFY_EFFECT]: notify, [DIGEST_EFFECT]: digest };
}
