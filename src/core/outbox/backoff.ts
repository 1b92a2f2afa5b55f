/** Retry delays for outbox effects: exponential, capped, and overridable by the upstream's own advice. */

export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** Upper bound of any computed delay. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

/** Capped at a minute: once an outage ends, waiting effects run again within a minute. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, factor: 2 };

/** Delay before attempt `attempts + 1`, given `attempts` already made (1-based). */
export function backoffDelay(policy: BackoffPolicy, attempts: number): number {
  const factor = policy.factor ?? 2;
  const exp = Math.max(0, attempts - 1);
  return Math.min(policy.maxMs, Math.round(policy.baseMs * factor ** exp));
}

/**
 * A throttled upstream says when to come back (HTTP Retry-After); adapters put that on the error
 * as `retryAfterMs`. A usable value wins over the computed delay.
 */
export function retryAfterOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const direct = (err as { retryAfterMs?: unknown }).retryAfterMs;
  const fromDetails = (err as { details?: { retryAfterMs?: unknown } }).details?.retryAfterMs;
  const v = typeof direct === 'number' ? direct : fromDetails;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
