/**
 * Row ↔ domain mapping shared by the SQLite and PostgreSQL stores. The two drivers hand back
 * slightly different shapes (text vs Date, text vs parsed JSON, bigint as string), so every
 * reader goes through these normalisers and both stores return identical objects.
 */
import { BotError } from '../../core/errors';
import type { AuditEntry } from '../../core/audit/types';
import type { EffectDraft, EffectStatus, OutboxEffect } from '../../core/outbox/types';
import type { PromotionRequest } from '../../core/promotion/types';

/** Canonical ISO form, so text columns sort chronologically. */
export function iso(value: string | Date | number): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new BotError('internal', `Invalid timestamp: ${String(value)}`);
  return d.toISOString();
}

export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Copies optional columns only when they hold a value, so absent fields stay absent. */
function optional<T extends object>(target: T, key: string, value: unknown): void {
  if (value !== null && value !== undefined) (target as Record<string, unknown>)[key] = value;
}

export interface AuditRow {
  seq: unknown; at: string | Date; prev_hash: string; hash: string; action: string; actor: string;
  env: string | null; model: string | null; request_id: string | null; detail: unknown; correlation_id: string | null;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  const entry = {
    seq: num(row.seq), at: iso(row.at), prevHash: row.prev_hash, hash: row.hash,
    action: row.action, actor: row.actor, detail: fromJson<Record<string, unknown>>(row.detail),
  } as AuditEntry;
  optional(entry, 'env', row.env);
  optional(entry, 'model', row.model);
  optional(entry, 'requestId', row.request_id);
  optional(entry, 'correlationId', row.correlation_id);
  return entry;
}

/** Column values of an audit entry, in the order both dialects insert them. */
export function auditParams(e: AuditEntry): unknown[] {
  return [e.seq, e.at, e.prevHash, e.hash, e.action, e.actor, e.env ?? null, e.model ?? null,
    e.requestId ?? null, JSON.stringify(e.detail), e.correlationId ?? null];
}

export interface EffectRow {
  id: unknown; key: string; kind: string; payload: unknown; not_before: string | Date | null; status: string;
  attempts: unknown; next_attempt_at: string | Date; last_error: string | null; result: unknown; created_at: string | Date;
}

export function toEffect(row: EffectRow): OutboxEffect {
  const effect: OutboxEffect = {
    id: num(row.id), key: row.key, kind: row.kind, payload: fromJson<Record<string, unknown>>(row.payload),
    status: row.status as EffectStatus, attempts: num(row.attempts), nextAttemptAt: iso(row.next_attempt_at),
    createdAt: iso(row.created_at),
  };
  if (row.not_before !== null) effect.notBefore = iso(row.not_before);
  optional(effect, 'lastError', row.last_error);
  if (row.result !== null && row.result !== undefined) effect.result = fromJson<Record<string, unknown>>(row.result);
  return effect;
}

/** Column values of a new effect: key, kind, payload, not_before, next_attempt_at, created_at. */
export function effectParams(e: EffectDraft, now: Date): unknown[] {
  const notBefore = e.notBefore === undefined ? null : iso(e.notBefore);
  return [e.key, e.kind, JSON.stringify(e.payload ?? {}), notBefore, notBefore ?? iso(now), iso(now)];
}

/** Indexed columns + the whole document: id, revision, state, source_env, target_env, model, version, created_at, updated_at, doc. */
export function requestParams(r: PromotionRequest): unknown[] {
  return [r.id, r.revision, r.state, r.sourceEnv, r.targetEnv, r.model, r.version, iso(r.createdAt), iso(r.updatedAt), JSON.stringify(r)];
}

export function toRequest(row: { doc: unknown }): PromotionRequest {
  return fromJson<PromotionRequest>(row.doc);
}

/** Errors are stored for operators; cap them so a huge upstream body cannot bloat the table. */
export function clipError(message: string): string {
  return message.length > 4000 ? `${message.slice(0, 4000)}…` : message;
}

export function duplicateRequest(id: string, cause: unknown): BotError {
  return new BotError('conflict', `Promotion request ${id} already exists.`, { details: { requestId: id }, cause });
}

/** Name of the index that lets one request at a time be open per model version and environment. */
export const ONE_OPEN_INDEX = 'requests_one_open';

/** Another request is already open for the same model version and environment (a lost race). */
export function openRequestExists(r: PromotionRequest, cause: unknown): BotError {
  return new BotError('conflict', `${r.model} v${r.version} already has an open promotion request to ${r.targetEnv}.`, {
    remedy: `Follow it with: requests --env ${r.targetEnv}`,
    details: { requestId: r.id, model: r.model, version: r.version, env: r.targetEnv },
    cause,
  });
}
