/**
 * Executes outbox effects (DESIGN §2): claims due effects with a lease, runs each through the
 * handler for its kind, and records the outcome. Delivery is at-least-once — a worker that dies
 * after the external call but before `completeEffect` leaves the lease to expire and the effect
 * runs again — so handlers get the effect's idempotency key and must make the call safe to repeat
 * (look it up upstream, or pass it where the upstream dedupes).
 */
import { isBotError } from '../errors';
import type { Clock, Logger, Store } from '../ports';
import { backoffDelay, DEFAULT_BACKOFF, retryAfterOf, type BackoffPolicy } from './backoff';
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
  /** Executions before an effect is declared dead (default 8). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Effects claimed per run (default 20). */
  batchSize?: number;
  /**
   * Claim only effects recorded at or after this time: a short-lived process (the CLI while the
   * server is down) runs the work it started and leaves the server's pending deliveries alone.
   */
  ownEffectsSince?: Date;
}

export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly batchSize: number;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.batchSize = Math.max(1, opts.batchSize ?? 20);
  }

  /** Claims and executes one batch of due effects; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const filter = this.opts.ownEffectsSince ? { createdSince: this.opts.ownEffectsSince } : undefined;
    const claimedAt = this.opts.clock.now().getTime();
    const claimed = await this.opts.store.claimEffects(new Date(claimedAt), this.batchSize, this.leaseMs, filter);
    // One at a time: effects of one request were enqueued in order (post card, then update it).
    for (const [i, effect] of claimed.entries()) {
      // Another replica may claim an effect once its lease runs out: one that would start with less
      // than half its lease left is left for the next claim rather than risk running twice.
      if (this.opts.clock.now().getTime() - claimedAt > this.leaseMs / 2) {
        this.opts.log.info({ left: claimed.length - i, leaseMs: this.leaseMs }, 'outbox batch ran long; the rest waits for its claim to expire');
        break;
      }
      await this.execute(effect);
    }
    return claimed.length;
  }

  private async execute(effect: OutboxEffect): Promise<void> {
    const log = this.opts.log.child({ effectId: effect.id, effectKey: effect.key, effectKind: effect.kind, attempt: effect.attempts });
    const handler = Object.prototype.hasOwnProperty.call(this.opts.handlers, effect.kind) ? this.opts.handlers[effect.kind] : undefined;
    if (!handler) {
      const error = `no handler for effect kind "${effect.kind}"`;
      log.error({ error }, 'outbox effect is dead');
      await this.opts.store.failEffect(effect.id, error, null);
      return;
    }
    const started = this.opts.clock.now().getTime();
    try {
      const result = await handler(effect, { log, key: effect.key, attempt: effect.attempts });
      if (this.opts.clock.now().getTime() - started > this.leaseMs) log.warn({ leaseMs: this.leaseMs }, 'effect outlived its lease; another worker may have replayed it');
      await this.opts.store.completeEffect(effect.id, result ?? {});
      log.debug({}, 'outbox effect done');
    } catch (err) {
      await this.recordFailure(effect, err, log);
    }
  }

  private async recordFailure(effect: OutboxEffect, err: unknown, log: Logger): Promise<void> {
    const error = describe(err);
    if (effect.attempts >= this.maxAttempts) {
      log.error({ error, attempts: effect.attempts }, 'outbox effect is dead after its last attempt');
      await this.opts.store.failEffect(effect.id, error, null);
      return;
    }
    const delayMs = retryAfterOf(err) ?? backoffDelay(this.backoff, effect.attempts);
    const retryAt = new Date(this.opts.clock.now().getTime() + delayMs);
    log.warn({ error, delayMs, retryAt: retryAt.toISOString() }, 'outbox effect failed; will retry');
    await this.opts.store.failEffect(effect.id, error, retryAt);
  }
}

function describe(err: unknown): string {
  if (isBotError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
