/**
 * Which audit channels an entry goes to, as outbox effects recorded with the entry (DESIGN §4:
 * every action is posted to the environment's audit channels).
 *
 * An entry about a configured environment goes to that environment's `channels.audit`. An entry
 * without one (a subscription to every environment, a refusal whose command named none) concerns
 * every environment, so it goes to the audit channels of all of them, each channel once.
 *
 * One effect per entry and channel, so a channel that fails never holds back another. Keys derive
 * from the batch's content (correlation id included) and the entry's place in it: recording the
 * same batch again records nothing new, and the outbox never posts one effect twice. A caller whose
 * batch already has a unique name (a promotion transition: request id and revision) passes it as
 * `scope`, and the keys derive from that alone.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EffectDraft } from '../outbox/types';
import { findEnvironment, type BotSettings } from '../settings';
import { canonicalJson, pickDraft } from './chain';
import type { AuditDraft } from './types';

export const AUDIT_POST_EFFECT = 'audit-post';

export interface AuditPostPayload {
  channel: string;
  /** The entry as recorded (persisted fields only). */
  entry: AuditDraft;
}

/** The audit channels an entry about `env` (or about no environment) is posted to. */
export function auditChannelsFor(settings: BotSettings, env: string | undefined): string[] {
  const known = env === undefined ? undefined : findEnvironment(settings, env);
  const envs = known ? [known] : settings.environments;
  return [...new Set(envs.flatMap((e) => e.channels.audit))];
}

export const AUDIT_REFUSALS_EFFECT = 'audit-refusals';
export const DEFAULT_REFUSAL_DIGEST_MS = 60_000;
export const isRefusal = (action: string): boolean => action.endsWith('.refused');

export interface AuditRefusalsPayload { channel: string; from: string; to: string }

/**
 * `opts.now` (the caller's clock) lets refusals be coalesced: one summary effect per audit channel
 * and window, due when the window closes, whatever number of refusals it holds.
 */
export function auditPostEffects(settings: BotSettings, drafts: readonly AuditDraft[], opts: { scope?: string; now?: Date } = {}): EffectDraft[] {
  if (drafts.length === 0) return [];
  const now = opts.now;
  if (now && drafts.every((d) => isRefusal(d.action))) return refusalSummaries(settings, drafts, now);
  const entries = drafts.map(pickDraft);
  // Without a correlation id two equal entries are still two actions: a fresh id keeps them apart.
  const salt = entries.every((e) => e.correlationId) ? '' : randomUUID();
  const batch = opts.scope ?? createHash('sha256').update(canonicalJson({ entries, salt }), 'utf8').digest('hex').slice(0, 32);
  return entries.flatMap((entry, i) => auditChannelsFor(settings, entry.env).map((channel) => ({
    key: `audit:${batch}:${i}:${channel}`,
    kind: AUDIT_POST_EFFECT,
    payload: { channel, entry } satisfies AuditPostPayload as unknown as Record<string, unknown>,
  })));
}

function refusalSummaries(settings: BotSettings, drafts: readonly AuditDraft[], now: Date): EffectDraft[] {
  const windowMs = Math.max(1000, settings.refusalDigestMs ?? DEFAULT_REFUSAL_DIGEST_MS);
  const from = Math.floor(now.getTime() / windowMs) * windowMs;
  const to = from + windowMs;
  const channels = [...new Set(drafts.flatMap((d) => auditChannelsFor(settings, d.env)))];
  return channels.map((channel) => ({
    key: `audit-refusals:${channel}:${from}`,
    kind: AUDIT_REFUSALS_EFFECT,
    payload: { channel, from: new Date(from).toISOString(), to: new Date(to).toISOString() } satisfies AuditRefusalsPayload as unknown as Record<string, unknown>,
    notBefore: new Date(to).toISOString(),
  }));
}
