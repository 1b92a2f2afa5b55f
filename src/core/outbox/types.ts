/**
 * Side effects recorded in the same transaction as the state change that caused them, then executed
 * by the outbox worker. `key` is the idempotency key: recording the same key twice is a no-op, and
 * an executed effect is never executed again.
 */
export interface EffectDraft {
  key: string;
  kind: string;
  payload: Record<string, unknown>;
  /** Run no earlier than this (ISO); defaults to now. */
  notBefore?: string;
}

export type EffectStatus = 'pending' | 'running' | 'done' | 'dead';

export interface OutboxEffect extends EffectDraft {
  id: number;
  status: EffectStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  result?: Record<string, unknown>;
  createdAt: string;
}
