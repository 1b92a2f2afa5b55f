/**
 * PostgreSQL store for multi-instance deployments. Same behaviour as the SQLite store (one
 * contract suite runs against both); concurrency is handled with row locks: the request row for
 * transitions, the audit head row for the chain, SKIP LOCKED for outbox claims.
 */
import { Pool, types, type CustomTypesConfig, type PoolClient } from 'pg';
import { chainEntry } from '../../../core/audit/chain';
import type { AuditDraft, AuditEntry, AuditFilter, AuditHead } from '../../../core/audit/types';
import type { EffectDraft, EffectStatus, OutboxEffect } from '../../../core/outbox/types';
import type { ClaimFilter, Clock, Lease, Logger, RequestFilter, Store, StoreStats } from '../../../core/ports';
import type { PromotionRequest } from '../../../core/promotion/types';
import {
  auditParams, clipError, duplicateRequest, effectParams, fromJson, iso, ONE_OPEN_INDEX, openRequestExists, requestParams, toAuditEntry,
  toEffect, toRequest,
  type AuditRow, type EffectRow,
} from '../rows';
import { leaseParams, leaseUpsertSql, outboxCountSql, REQUEST_COUNT_SQL, toLease, toStats, type LeaseRow, type OutboxCountRow } from '../lease-rows';
import { migratePostgres, SCHEMA_NAME } from './migrations';
import { ONE_ACTIVE_ROLLOUT_INDEX, ROLLOUT_COLUMNS, rolloutConflict, rolloutParams, toRollout } from '../rollout-rows';
import type { Rollout, RolloutFilter } from '../../../core/rollout/types';
import { Where } from './where';

export interface PgStoreOptions {
  clock: Clock;
  log?: Logger;
  /** Schema for every table (created by migrate); default: the server's search_path. */
  schema?: string;
  poolMax?: number;
}

export class PgStore implements Store {
  readonly pool: Pool;

  constructor(connectionString: string, private readonly opts: PgStoreOptions) {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) throw new Error(`Invalid schema name: ${opts.schema}`);
    this.pool = new Pool({
      connectionString,
      max: opts.poolMax ?? 10,
      types: jsonAsText,
      ...(opts.schema !== undefined ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', (e) => opts.log?.warn({ err: e.message }, 'postgres idle client error'));
  }

  private now(): string { return iso(this.opts.clock.now()); }

  async migrate(): Promise<void> { await migratePostgres(this.pool, this.opts.schema); }

  async close(): Promise<void> { if (!this.pool.ended) await this.pool.end(); }

  async createRequest(request: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<void> {
    await this.tx(async (c) => {
      try {
        await c.query(`INSERT INTO requests (id, revision, state, source_env, target_env, model, version, created_at, updated_at, doc)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, requestParams(request));
      } catch (e) {
        const err = e as { code?: string; constraint?: string };
        if (err.code === '23505') throw err.constraint === ONE_OPEN_INDEX ? openRequestExists(request, e) : duplicateRequest(request.id, e);
        throw e;
      }
      await this.appendInTx(c, audit);
      await this.enqueueInTx(c, effects);
    });
  }

  async commitTransition(next: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'> {
    return this.tx(async (c) => {
      // Row lock + revision check in one statement: a concurrent committer blocks, then sees the new revision.
      const res = await c.query(`UPDATE requests SET revision = $2, state = $3, source_env = $4, target_env = $5, model = $6,
        version = $7, created_at = $8, updated_at = $9, doc = $10 WHERE id = $1 AND revision = $11`,
      [...requestParams(next), next.revision - 1]);
      if (res.rowCount !== 1) return 'conflict';
      await this.appendInTx(c, audit);
      await this.enqueueInTx(c, effects);
      return 'ok';
    });
  }

  async getRequest(id: string): Promise<PromotionRequest | null> {
    const res = await this.pool.query('SELECT doc FROM requests WHERE id = $1', [id]);
    return res.rows[0] ? toRequest(res.rows[0]) : null;
  }

  async listRequests(filter: RequestFilter): Promise<PromotionRequest[]> {
    if (filter.states && filter.states.length === 0) return [];
    const w = new Where();
    if (filter.states) w.add(`state = ANY(${w.p(filter.states)})`);
    if (filter.env !== undefined) w.add(`target_env = ${w.p(filter.env)}`);
    if (filter.model !== undefined) w.add(`model = ${w.p(filter.model)}`);
    const res = await this.pool.query(`SELECT doc FROM requests ${w.sql()} ORDER BY updated_at DESC, id DESC LIMIT ${w.p(limitOf(filter.limit))}`, w.params);
    return res.rows.map(toRequest);
  }

  async createRollout(rollout: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<void> {
    await this.tx(async (c) => {
      try {
        await c.query(`INSERT INTO rollouts (${ROLLOUT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, rolloutParams(rollout));
      } catch (e) {
        const err = e as { code?: string; constraint?: string };
        if (err.code === '23505') throw rolloutConflict(rollout, err.constraint === ONE_ACTIVE_ROLLOUT_INDEX, e);
        throw e;
      }
      await this.appendInTx(c, audit);
      await this.enqueueInTx(c, effects);
    });
  }

  async commitRollout(next: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'> {
    return this.tx(async (c) => {
      const [id, revision, status, , , , , updatedAt, doc] = rolloutParams(next);
      const res = await c.query('UPDATE rollouts SET revision = $2, status = $3, updated_at = $4, doc = $5 WHERE id = $1 AND revision = $6',
        [id, revision, status, updatedAt, doc, next.revision - 1]);
      if (res.rowCount !== 1) return 'conflict';
      await this.appendInTx(c, audit);
      await this.enqueueInTx(c, effects);
      return 'ok';
    });
  }

  async getRollout(id: string): Promise<Rollout | null> {
    const res = await this.pool.query('SELECT doc FROM rollouts WHERE id = $1', [id]);
    return res.rows[0] ? toRollout(res.rows[0]) : null;
  }

  async listRollouts(filter: RolloutFilter): Promise<{ rollouts: Rollout[]; total: number }> {
    if (filter.statuses && filter.statuses.length === 0) return { rollouts: [], total: 0 };
    const w = new Where();
    if (filter.statuses) w.add(`status = ANY(${w.p([...filter.statuses])})`);
    if (filter.env !== undefined) w.add(`env = ${w.p(filter.env)}`);
    const countSql = `SELECT count(*) AS n FROM rollouts ${w.sql()}`;
    const countParams = [...w.params];
    const [count, page] = await Promise.all([
      this.pool.query<{ n: string }>(countSql, countParams),
      this.pool.query(`SELECT doc FROM rollouts ${w.sql()} ORDER BY created_at DESC, id DESC LIMIT ${w.p(limitOf(filter.limit))} OFFSET ${w.p(Math.max(0, Math.floor(filter.offset ?? 0)))}`, w.params),
    ]);
    return { rollouts: page.rows.map(toRollout), total: Number(count.rows[0].n) };
  }

  async appendAudit(drafts: AuditDraft[], effects: EffectDraft[] = []): Promise<AuditEntry[]> {
    if (drafts.length === 0 && effects.length === 0) return [];
    return this.tx(async (c) => {
      const entries = await this.appendInTx(c, drafts);
      await this.enqueueInTx(c, effects);
      return entries;
    });
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const w = new Where();
    if (filter.model !== undefined) w.add(`model = ${w.p(filter.model)}`);
    if (filter.env !== undefined) w.add(`env = ${w.p(filter.env)}`);
    if (filter.requestId !== undefined) w.add(`request_id = ${w.p(filter.requestId)}`);
    if (filter.since !== undefined) w.add(`at >= ${w.p(iso(filter.since))}`);
    const res = await this.pool.query<AuditRow>(`SELECT * FROM audit_log ${w.sql()} ORDER BY seq DESC LIMIT ${w.p(limitOf(filter.limit))}`, w.params);
    return res.rows.map(toAuditEntry);
  }

  async auditHead(): Promise<AuditHead | null> {
    const row = (await this.pool.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  async readAuditChain(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const res = await this.pool.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq ASC LIMIT $2', [afterSeq, limit]);
    return res.rows.map(toAuditEntry);
  }

  async enqueueEffects(effects: EffectDraft[]): Promise<void> {
    if (effects.length === 0) return;
    await this.tx((c) => this.enqueueInTx(c, effects));
  }

  async claimEffects(now: Date, limit: number, leaseMs: number, filter: ClaimFilter = {}): Promise<OutboxEffect[]> {
    // SKIP LOCKED lets several workers claim side by side without waiting on or doubling each other.
    const res = await this.pool.query<EffectRow>(`WITH due AS (
        SELECT id FROM effects WHERE status IN ('pending', 'running') AND next_attempt_at <= $1
          AND ($4::timestamptz IS NULL OR created_at >= $4::timestamptz)
        ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
      UPDATE effects e SET status = 'running', attempts = e.attempts + 1, next_attempt_at = $3, updated_at = $1
      FROM due WHERE e.id = due.id RETURNING e.*`, [iso(now), limit, iso(now.getTime() + leaseMs), filter.createdSince ? iso(filter.createdSince) : null]);
    return res.rows.map(toEffect).sort((a, b) => a.id - b.id);
  }

  async completeEffect(id: number, result: Record<string, unknown>): Promise<void> {
    await this.pool.query(`UPDATE effects SET status = 'done', result = $1, last_error = NULL, updated_at = $2 WHERE id = $3 AND status <> 'done'`,
      [JSON.stringify(result ?? {}), this.now(), id]);
  }

  async failEffect(id: number, error: string, retryAt: Date | null): Promise<void> {
    // Only a running effect can fail, so a late report from a worker whose lease was taken over
    // cannot undo what the next worker recorded.
    const now = this.now();
    await this.pool.query(`UPDATE effects SET status = $1, last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $5 AND status = 'running'`,
      [retryAt ? 'pending' : 'dead', clipError(error), retryAt ? iso(retryAt) : now, now, id]);
  }

  async getEffect(key: string): Promise<OutboxEffect | null> {
    const res = await this.pool.query<EffectRow>('SELECT * FROM effects WHERE key = $1', [key]);
    return res.rows[0] ? toEffect(res.rows[0]) : null;
  }

  async listEffects(filter: { status: EffectStatus; keyPrefix?: string; limit?: number }): Promise<OutboxEffect[]> {
    const prefix = filter.keyPrefix ?? '';
    const res = await this.pool.query<EffectRow>('SELECT * FROM effects WHERE status = $1 AND left(key, $2) = $3 ORDER BY id LIMIT $4',
      [filter.status, prefix.length, prefix, filter.limit ?? 1000]);
    return res.rows.map(toEffect);
  }

  async reviveEffect(id: number, now: Date): Promise<boolean> {
    const res = await this.pool.query(`UPDATE effects SET status = 'pending', attempts = 0, not_before = $1, next_attempt_at = $1, updated_at = $2 WHERE id = $3 AND status = 'dead'`,
      [iso(now), this.now(), id]);
    return res.rowCount === 1;
  }

  async markSeen(key: string, now: Date): Promise<boolean> {
    const res = await this.pool.query('INSERT INTO seen_keys (key, seen_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, iso(now)]);
    return res.rowCount === 1;
  }

  async getDoc<T>(namespace: string, key: string): Promise<T | null> {
    const res = await this.pool.query('SELECT value FROM docs WHERE namespace = $1 AND key = $2', [namespace, key]);
    return res.rows[0] ? fromJson<T>(res.rows[0].value) : null;
  }

  async putDoc<T>(namespace: string, key: string, value: T): Promise<void> {
    await this.pool.query(`INSERT INTO docs (namespace, key, value, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [namespace, key, JSON.stringify(value), this.now()]);
  }

  async listDocs<T>(namespace: string): Promise<{ key: string; value: T }[]> {
    const res = await this.pool.query('SELECT key, value FROM docs WHERE namespace = $1 ORDER BY key', [namespace]);
    return res.rows.map((r: { key: string; value: unknown }) => ({ key: r.key, value: fromJson<T>(r.value) }));
  }

  async deleteDoc(namespace: string, key: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM docs WHERE namespace = $1 AND key = $2', [namespace, key]);
    return (res.rowCount ?? 0) > 0;
  }

  async acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    const params = leaseParams(name, holder, now, ttlMs);
    for (;;) {
      const won = await this.pool.query<LeaseRow>(leaseUpsertSql((i) => `$${i}`), params);
      if (won.rows[0]) return toLease(won.rows[0]);
      // Not granted: another holder's lease is valid. Read it, unless it was released meanwhile (then try again).
      const current = await this.pool.query<LeaseRow>('SELECT * FROM leases WHERE name = $1', [name]);
      if (current.rows[0]) return toLease(current.rows[0]);
    }
  }

  async releaseLease(name: string, holder: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder])).rowCount ?? 0) > 0;
  }

  async getLease(name: string): Promise<Lease | null> {
    const res = await this.pool.query<LeaseRow>('SELECT * FROM leases WHERE name = $1', [name]);
    return res.rows[0] ? toLease(res.rows[0]) : null;
  }

  async stats(now: Date): Promise<StoreStats> {
    const [states, outbox] = await Promise.all([
      this.pool.query<{ state: string; n: string }>(REQUEST_COUNT_SQL),
      this.pool.query<OutboxCountRow>(outboxCountSql((i) => `$${i}`), [iso(now)]),
    ]);
    return toStats(states.rows, outbox.rows);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  /** Locks the chain head row until commit: appenders queue up and each sees the previous one's head. */
  private async appendInTx(c: PoolClient, drafts: AuditDraft[]): Promise<AuditEntry[]> {
    if (drafts.length === 0) return [];
    const headRow = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0];
    if (!headRow) throw new Error('audit_head row missing: run migrate()');
    let head = { seq: Number(headRow.seq), hash: headRow.hash };
    const at = this.now();
    const entries = drafts.map((d) => (head = chainEntry(head, at, d)));
    const w = new Where();
    const values = entries.map((e) => `(${auditParams(e).map((v) => w.p(v)).join(', ')})`).join(', ');
    await c.query(`INSERT INTO audit_log (seq, at, prev_hash, hash, action, actor, env, model, request_id, detail, correlation_id)
      VALUES ${values}`, w.params);
    await c.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [head.seq, head.hash]);
    return entries;
  }

  private async enqueueInTx(c: PoolClient, effects: EffectDraft[]): Promise<void> {
    if (effects.length === 0) return;
    const now = this.opts.clock.now();
    const w = new Where();
    const values = effects.map((e) => `(${[...effectParams(e, now), iso(now)].map((v) => w.p(v)).join(', ')})`).join(', ');
    await c.query(`INSERT INTO effects (key, kind, payload, not_before, next_attempt_at, created_at, updated_at)
      VALUES ${values} ON CONFLICT (key) DO NOTHING`, w.params);
  }
}

const JSON_OIDS = new Set([114, 3802]); // json, jsonb

/**
 * JSON columns come back as text, as they do from SQLite, so the shared row mappers parse them the
 * same way (the driver's own parsing would hand back a top-level JSON string unquoted).
 */
const jsonAsText: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    JSON_OIDS.has(oid) ? (v: string) => v : types.getTypeParser(oid, format ?? 'text')) as CustomTypesConfig['getTypeParser'],
};

function limitOf(limit: number | undefined): number | null {
  // LIMIT NULL means no limit in PostgreSQL.
  return limit === undefined || limit === Infinity ? null : Math.max(0, Math.floor(limit));
}
