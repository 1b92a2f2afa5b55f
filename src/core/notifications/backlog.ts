/**
 * Per-channel delivery state, kept in the store so every replica on one database sees the same
 * (DESIGN §9.9): deliveries waiting for their turn (to decide when a burst becomes a digest), when
 * the channel may next be posted to (its rate and any Retry-After the platform sent), the digest
 * still open for joiners, and a turn lease so one channel's sends never interleave, whichever
 * replica runs them. Within one process calls for a channel also queue in memory, so they do not
 * compete with each other for the lease.
 */
import { BotError } from '../errors';
import type { Clock, Store } from '../ports';

export interface PendingItem {
  /** Outbox key of the delivery (`notify:<eventId>:<channel>`). */
  key: string;
  eventId: string;
  title: string;
  detail: string;
  /** When the delivery became pending (ms). */
  at: number;
}

export interface BacklogOptions {
  /** This replica's name: the holder of a channel's turn lease. */
  holder?: string;
  /** How long a turn lasts if its holder dies mid-way (default 15 s). */
  turnMs?: number;
  /** How long to wait for another replica's turn to end before giving up for now (default 2 s). */
  waitForTurnMs?: number;
}

const pendingNs = (channel: string): string => `notify-pending:${channel}`;
const PACE_NS = 'notify-pace';
const OPEN_DIGEST_NS = 'notify-open-digest';

interface Pace { nextAt: number }
interface OpenDigest { key: string }

export class ChannelBacklog {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly holder: string;
  private readonly turnMs: number;
  private readonly waitForTurnMs: number;

  constructor(private readonly store: Store, private readonly clock: Clock, opts: BacklogOptions = {}) {
    this.holder = opts.holder ?? 'this-process';
    this.turnMs = opts.turnMs ?? 15_000;
    this.waitForTurnMs = opts.waitForTurnMs ?? 2000;
  }

  /** Runs `fn` holding the channel's turn: after earlier calls here, and while no other replica holds it. */
  withChannel<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(channel) ?? Promise.resolve()).then(() => this.inTurn(channel, fn));
    const tail = run.catch(() => undefined);
    this.locks.set(channel, tail);
    void tail.then(() => { if (this.locks.get(channel) === tail) this.locks.delete(channel); });
    return run;
  }

  async add(channel: string, item: PendingItem): Promise<void> {
    if ((await this.store.getDoc(pendingNs(channel), item.key)) === null) await this.store.putDoc(pendingNs(channel), item.key, item);
  }

  async remove(channel: string, key: string): Promise<void> {
    await this.store.deleteDoc(pendingNs(channel), key);
  }

  /** Deliveries still waiting; those whose effect already ended (posted on its own, dead) are dropped. */
  async pending(channel: string): Promise<PendingItem[]> {
    const out: PendingItem[] = [];
    for (const { key, value } of await this.store.listDocs<PendingItem>(pendingNs(channel))) {
      const status = (await this.store.getEffect(key))?.status;
      if (status === 'done' || status === 'dead') await this.remove(channel, key);
      else out.push(value);
    }
    return out;
  }

  /** Milliseconds until the channel may be posted to again (0: now). */
  async waitMs(channel: string, nowMs: number): Promise<number> {
    return Math.max(0, ((await this.store.getDoc<Pace>(PACE_NS, channel))?.nextAt ?? 0) - nowMs);
  }

  /** After a post: the next one waits `intervalMs`. */
  async sent(channel: string, nowMs: number, intervalMs: number): Promise<void> {
    await this.holdUntil(channel, nowMs + intervalMs);
  }

  /** The platform said "not before": honour it for every delivery of the channel, on every replica. */
  async holdUntil(channel: string, untilMs: number): Promise<void> {
    const nextAt = Math.max(untilMs, (await this.store.getDoc<Pace>(PACE_NS, channel))?.nextAt ?? 0);
    await this.store.putDoc<Pace>(PACE_NS, channel, { nextAt });
  }

  async openDigest(channel: string): Promise<string | undefined> {
    return (await this.store.getDoc<OpenDigest>(OPEN_DIGEST_NS, channel))?.key;
  }

  async setOpenDigest(channel: string, key: string | undefined): Promise<void> {
    if (key === undefined) await this.store.deleteDoc(OPEN_DIGEST_NS, channel);
    else await this.store.putDoc<OpenDigest>(OPEN_DIGEST_NS, channel, { key });
  }

  private async inTurn<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const name = `channel:${channel}`;
    const deadline = Date.now() + this.waitForTurnMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 200)) {
      const lease = await this.store.acquireLease(name, this.holder, this.clock.now(), this.turnMs);
      if (lease.holder === this.holder) break;
      if (Date.now() + delay > deadline) {
        throw new BotError('upstream_throttled', `channel ${channel} is being posted to by ${lease.holder}`, { details: { retryAfterMs: 500 } });
      }
      await new Promise((r) => setTimeout(r, delay));
    }
    try {
      return await fn();
    } finally {
      await this.store.releaseLease(name, this.holder).catch(() => undefined);
    }
  }
}
