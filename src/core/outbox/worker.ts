/**
 * Executes outbox effects (DESIGN §2): claims due effects with a lease, runs each through the
 * handler for its kind, and records the outcome. Delivery is at-least-once — a worker that dies
 * after the external call but before `completeEffect` leaves the lease to expire and the effect
 * runs again — so handlers get the effect's idempotency key and must make the call safe to repeat
 * (look it up upstream, or pass it where the upstream dedupes).
 *
 * Independent effects run side by side (bounded, one lane per target: see lanes.ts), each bounded
 * in time, so a hung channel or a slow Azure DevOps never holds unrelated work. A failing effect
 * is retried with backoff until its deadline (deadline.ts); then it is dead, and `onDead` makes
 * that visible to people — never a silent give-up.
 */
import { isBotError } from '../errors';
import type { Clock, Logger, Store } from '../ports';
import { backoffDelay, DEFAULT_BACKOFF, retryAfterOf, type BackoffPolicy } from './backoff';
import { deadlineOf, DEFAULT_GIVE_UP_AFTER_MS } from './deadline';
import { Limiter } from '../limiter';
import { defaultLaneOf, type LaneOf } from './lanes';
import type { OutboxEffect } from './types';

export interface EffectContext {
  log: Logger;
  /** The idempotency key of the effect (same as `effect.key`). */
  key: string;
  /** 1 on the first execution, higher on retries and replays after a crash. */
  attempt: number;
}

export type EffectHandler = (effect: OutboxEffect, ctx: EffectContext) => Promise<Record<string, unknown>>;

export interface OutboxWorkerOptions {
  store: Pick<Store, 'claimEffects' | 'completeEffect' | 'failEffect'>;
  handlers: Record<string, EffectHandler>;
  clock: Clock;
  log: Logger;
  /** How long a claim lasts before another worker may take the effect over (default 60 s). */
  leaseMs?: number;
  /** Retry until this long after the effect became due (default 30 min; see deadline.ts). */
  giveUpAfterMs?: number;
  /** Also give up after this many executions (default: no count, the deadline decides). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Effects claimed per run (default 20). */
  batchSize?: number;
  /**
   * Claim only effects recorded at or after this time: a short-lived process (the CLI while the
   * server is down) runs the work it started and leaves the server's pending deliveries alone.
   */
  ownEffectsSince?: Date;
  /** Effects executing at once (default 8). */
  concurrency?: number;
  /** Bound of one execution (default 2 min): a hung handler is recorded as failed and retried. */
  effectTimeoutMs?: number;
  laneOf?: LaneOf;
  /** Told once per effect given up, after it is recorded dead (people must learn of it). */
  onDead?: (effect: OutboxEffect, error: string, failedForMs: number) => Promise<void>;
  /** Called whenever an execution ends, so a loop can claim what it made due. */
  onSettled?: () => void;
}

export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly giveUpAfterMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly effectTimeoutMs: number;
  private readonly laneOf: LaneOf;
  private readonly slots: Limiter;
  /** Tail of each lane: the next effect of the lane starts when it settles. */
  private readonly lanes = new Map<string, Promise<void>>();
  /** Effects this process is executing or has queued in a lane (a re-claim must not run them twice). */
  private readonly inflight = new Map<number, Promise<void>>();

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.giveUpAfterMs = opts.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.batchSize = Math.max(1, opts.batchSize ?? 20);
    this.concurrency = Math.max(1, opts.concurrency ?? 8);
    this.effectTimeoutMs = opts.effectTimeoutMs ?? 120_000;
    this.laneOf = opts.laneOf ?? defaultLaneOf;
    this.slots = new Limiter(this.concurrency);
  }

  /** Claims one batch of due effects and waits for all of them; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const runs = await this.dispatch(this.batchSize);
    await Promise.all(runs);
    return runs.length;
  }

  /**
   * Claims what there is room for and starts it without waiting (the background loop): a slow lane
   * keeps running while the next call claims work for the other lanes.
   */
  async pump(): Promise<number> {
    const room = Math.min(this.batchSize, this.concurrency * 2 - this.inflight.size);
    if (room <= 0) return 0;
    return (await this.dispatch(room)).length;
  }

  /** Resolves when every execution started so far has settled (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()]);
  }

  private async dispatch(limit: number): Promise<Promise<void>[]> {
    const filter = this.opts.ownEffectsSince ? { createdSince: this.opts.ownEffectsSince } : undefined;
    const claimedAt = this.opts.clock.now().getTime();
    const claimed = await this.opts.store.claimEffects(new Date(claimedAt), limit, this.leaseMs, filter);
    const runs: Promise<void>[] = [];
    for (const effect of claimed) {
      const running = this.inflight.get(effect.id);
      if (running) { runs.push(running); continue; }
      const lane = this.laneOf(effect);
      const before = this.lanes.get(lane) ?? Promise.resolve();
      const run: Promise<void> = before
        .then(() => this.slots.run(() => this.startInTime(effect, claimedAt)))
        .catch((err: unknown) => this.opts.log.error({ effectKey: effect.key, err: describe(err) }, 'outbox could not record an effect outcome'))
        .finally(() => {
          this.inflight.delete(effect.id);
          if (this.lanes.get(lane) === run) this.lanes.delete(lane);
          this.opts.onSettled?.();
        });
      this.lanes.set(lane, run);
      this.inflight.set(effect.id, run);
      runs.push(run);
    }
    return runs;
  }

  /**
   * Another replica may claim an effect once its lease runs out: one that waited in its lane (or for
   * a slot) until less than half its lease was left is left for the next claim rather than risk
   * running twice.
   */
  private async startInTime(effect: OutboxEffect, claimedAt: number): Promise<void> {
    if (this.opts.clock.now().getTime() - claimedAt > this.leaseMs / 2) {
      this.opts.log.info({ effectKey: effect.key, leaseMs: this.leaseMs }, 'outbox effect waited too long to start; it waits for its claim to expire');
      return;
    }
    await this.execute(effect);
  }

  private async execute(effect: OutboxEffect): Promise<void> {
    const log = this.opts.log.child({ effectId: effect.id, effectKey: effect.key, effectKind: effect.kind, attempt: effect.attempts });
    const handler = Object.prototype.hasOwnProperty.call(this.opts.handlers, effect.kind) ? this.opts.handlers[effect.kind] : undefined;
    if (!handler) {
      await this.giveUp(effect, `no handler for effect kind "${effect.kind}"`, log);
      return;
    }
    const started = this.opts.clock.now().getTime();
    try {
      const result = await withTimeout(handler(effect, { log, key: effect.key, attempt: effect.attempts }), this.effectTimeoutMs);
      if (this.opts.clock.now().getTime() - started > this.leaseMs) log.warn({ leaseMs: this.leaseMs }, 'effect outlived its lease; another worker may have replayed it');
      await this.opts.store.completeEffect(effect.id, result ?? {});
      log.debug({}, 'outbox effect done');
    } catch (err) {
      await this.recordFailure(effect, err, log);
    }
  }

  private async recordFailure(effect: OutboxEffect, err: unknown, log: Logger): Promise<void> {
    const error = describe(err);
    const now = this.opts.clock.now().getTime();
    const deadline = deadlineOf(effect, this.giveUpAfterMs);
    const countSpent = this.opts.maxAttempts !== undefined && effect.attempts >= this.opts.maxAttempts;
    if (now >= deadline || countSpent) {
      await this.giveUp(effect, error, log);
      return;
    }
    const delayMs = retryAfterOf(err) ?? backoffDelay(this.backoff, effect.attempts);
    // The last attempt is made at the deadline itself rather than skipped.
    const retryAt = new Date(Math.min(now + delayMs, Math.max(deadline, now + 1)));
    log.warn({ error, delayMs, retryAt: retryAt.toISOString() }, 'outbox effect failed; will retry');
    await this.opts.store.failEffect(effect.id, error, retryAt);
  }

  private async giveUp(effect: OutboxEffect, error: string, log: Logger): Promise<void> {
    const since = Date.parse(effect.notBefore ?? effect.createdAt);
    log.error({ error, attempts: effect.attempts }, 'outbox effect is dead after its last attempt');
    await this.opts.store.failEffect(effect.id, error, null);
    if (!this.opts.onDead) return;
    try {
      await this.opts.onDead(effect, error, this.opts.clock.now().getTime() - (Number.isFinite(since) ? since : this.opts.clock.now().getTime()));
    } catch (e) {
      log.error({ err: describe(e) }, 'could not report a dead effect');
    }
  }
}

export class EffectTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`the effect did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'EffectTimeoutError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new EffectTimeoutError(ms)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function describe(err: unknown): string {
  if (isBotError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
