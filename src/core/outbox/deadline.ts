/**
 * When the outbox stops retrying an effect. Retries are bounded by time, not by a count: an outage
 * shorter than the deadline heals by itself whatever the backoff did meanwhile. The deadline runs
 * from when the effect became due (`notBefore`, reset when a person retries a dead effect), and an
 * effect may carry a later one of its own (`payload.giveUpAt`, e.g. a request's approval expiry).
 */
import type { OutboxEffect } from './types';

export const DEFAULT_GIVE_UP_AFTER_MS = 30 * 60_000;

export function deadlineOf(effect: OutboxEffect, giveUpAfterMs: number): number {
  const start = Date.parse(effect.notBefore ?? effect.createdAt);
  const own = typeof effect.payload.giveUpAt === 'string' ? Date.parse(effect.payload.giveUpAt) : NaN;
  const general = (Number.isFinite(start) ? start : 0) + giveUpAfterMs;
  return Number.isFinite(own) ? Math.max(own, general) : general;
}

/** "2.5 min", "40 s", "3 h": how long an effect kept failing, for people. */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = s / 60;
  if (min < 90) return `${Number.isInteger(Math.round(min * 10) / 10) ? Math.round(min) : (Math.round(min * 10) / 10)} min`;
  return `${Math.round((min / 60) * 10) / 10} h`;
}
