/**
 * Per-channel delivery state kept in memory by one process: deliveries waiting for their turn (to
 * decide when a burst becomes a digest), when the channel may next be posted to (its rate and any
 * Retry-After the platform sent), and a lock so one channel's sends never interleave.
 * Losing it (restart) loses nothing: the outbox holds every delivery, and handlers refill it.
 */
export interface PendingItem {
  /** Outbox key of the delivery (`notify:<eventId>:<channel>`). */
  key: string;
  eventId: string;
  title: string;
  detail: string;
  /** When the delivery became pending here (ms). */
  at: number;
}

interface ChannelState {
  pending: Map<string, PendingItem>;
  nextAt: number;
  lock: Promise<unknown>;
  /** A digest recorded but not yet posted: later deliveries join it instead of starting another. */
  openDigest?: string;
}

export class ChannelBacklog {
  private readonly channels = new Map<string, ChannelState>();

  /** Runs `fn` after every earlier call for the same channel has settled. */
  withChannel<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const state = this.state(channel);
    const run = state.lock.then(fn, fn);
    state.lock = run.catch(() => undefined);
    return run;
  }

  add(channel: string, item: PendingItem): void {
    const pending = this.state(channel).pending;
    if (!pending.has(item.key)) pending.set(item.key, item);
  }

  remove(channel: string, key: string): void {
    this.channels.get(channel)?.pending.delete(key);
  }

  pending(channel: string): PendingItem[] {
    return [...(this.channels.get(channel)?.pending.values() ?? [])];
  }

  /** Milliseconds until the channel may be posted to again (0: now). */
  waitMs(channel: string, nowMs: number): number {
    return Math.max(0, (this.channels.get(channel)?.nextAt ?? 0) - nowMs);
  }

  /** After a post: the next one waits `intervalMs`. */
  sent(channel: string, nowMs: number, intervalMs: number): void {
    const state = this.state(channel);
    state.nextAt = Math.max(state.nextAt, nowMs + intervalMs);
  }

  /** The platform said "not before": honour it for every delivery of the channel. */
  holdUntil(channel: string, untilMs: number): void {
    const state = this.state(channel);
    state.nextAt = Math.max(state.nextAt, untilMs);
  }

  openDigest(channel: string): string | undefined {
    return this.channels.get(channel)?.openDigest;
  }

  setOpenDigest(channel: string, key: string | undefined): void {
    this.state(channel).openDigest = key;
  }

  size(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.pending.size;
    return n;
  }

  private state(channel: string): ChannelState {
    let s = this.channels.get(channel);
    if (!s) { s = { pending: new Map(), nextAt: 0, lock: Promise.resolve() }; this.channels.set(channel, s); }
    return s;
  }
}
