/**
 * The embedded store: SQLite through better-sqlite3. The driver is synchronous, so each method runs
 * its whole transaction without yielding; IMMEDIATE transactions take the write lock up front so
 * another process sharing the file waits (busy_timeout) instead of failing half way.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chainEntry, GENESIS_HASH } from '../../../core/audit/chain';
import type { AuditDraft, AuditEntry, AuditFilter, AuditHead } from '../../../core/audit/types';
import type { EffectDraft, EffectStatus, OutboxEffect } from '../../../core/outbox/types';
import type { ClaimFilter, Clock, Lease, RequestFilter, Store, StoreStats } from '../../../core/ports';
import type { PromotionRequest } from '../../../core/promotion/types';
import {
  auditParams, clipError, duplicateRequest, effectParams, fromJson, iso, openRequestExists, requestParams, toAuditEntry, toEffect, toRequest,
  type AuditRow, type EffectRow,
} from '../rows';
import { leaseParams, leaseUpsertSql, outboxCountSql, REQUEST_COUNT_SQL, toLease, toStats, type LeaseRow, type OutboxCountRow } from '../lease-rows';
import { migrateSqlite } from './migrations';
import { ROLLOUT_COLUMNS, rolloutConflict, rolloutParams, toRollout } from '../rollout-rows';
import type { Rollout, RolloutFilter } from '../../../core/rollout/types';

export interface SqliteStoreOptions {
  clock: Clock;
  busyTimeoutMs?: number;
}

/** Distinct SQL texts kept prepared; the dynamic filters only make a handful, this is a backstop. */
const MAX_CACHED_STATEMENTS = 128;

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** Every statement is compiled once per store and reused (markSeen runs before each Slack ack). */
  private readonly statements = new Map<string, Database.Statement>();

  /** `file` is a path or `:memory:`; the parent folder of a path is created. */
  constructor(file: string, private readonly opts: SqliteStoreOptions) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
  }

  private now(): string { return iso(this.opts.clock.now()); }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size < MAX_CACHED_STATEMENTS) this.statements.set(sql, statement);
    }
    return statement;
  }

  async migrate(): Promise<void> { migrateSqlite(this.db, () => this.now()); }

  async close(): Promise<void> { if (this.db.open) this.db.close(); }

  async createRequest(request: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<void> {
    this.db.transaction(() => {
      try {
        this.stmt(`INSERT INTO requests (id, revision, state, source_env, target_env, model, version, created_at, updated_at, doc)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...requestParams(request));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw duplicateRequest(request.id, e);
        // The only other unique constraint on requests is the open-request index.
        if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw openRequestExists(request, e);
        throw e;
      }
      this.appendInTx(audit);
      this.enqueueInTx(effects);
    }).immediate();
  }

  async commitTransition(next: PromotionRequest, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'> {
    return this.db.transaction((): 'ok' | 'conflict' => {
      const [id, revision, ...rest] = requestParams(next);
      const changed = this.stmt(`UPDATE requests SET revision = ?, state = ?, source_env = ?, target_env = ?, model = ?,
        version = ?, created_at = ?, updated_at = ?, doc = ? WHERE id = ? AND revision = ?`)
        .run(revision, ...rest, id, next.revision - 1).changes;
      if (changed !== 1) return 'conflict';
      this.appendInTx(audit);
      this.enqueueInTx(effects);
      return 'ok';
    }).immediate();
  }

  async getRequest(id: string): Promise<PromotionRequest | null> {
    const row = this.stmt('SELECT doc FROM requests WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? toRequest(row) : null;
  }

  async listRequests(filter: RequestFilter): Promise<PromotionRequest[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states) {
      if (filter.states.length === 0) return [];
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    if (filter.env !== undefined) { where.push('target_env = ?'); params.push(filter.env); }
    if (filter.model !== undefined) { where.push('model = ?'); params.push(filter.model); }
    const sql = `SELECT doc FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, id DESC LIMIT ?`;
    return (this.stmt(sql).all(...params, limitOf(filter.limit)) as { doc: string }[]).map(toRequest);
  }

  async createRollout(rollout: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<void> {
    this.db.transaction(() => {
      try {
        this.stmt(`INSERT INTO rollouts (${ROLLOUT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...rolloutParams(rollout));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw rolloutConflict(rollout, code === 'SQLITE_CONSTRAINT_UNIQUE', e);
        throw e;
      }
      this.appendInTx(audit);
      this.enqueueInTx(effects);
    }).immediate();
  }

  async commitRollout(next: Rollout, audit: AuditDraft[], effects: EffectDraft[]): Promise<'ok' | 'conflict'> {
    return this.db.transaction((): 'ok' | 'conflict' => {
      const [id, revision, status, , , , , updatedAt, doc] = rolloutParams(next);
      const changed = this.stmt('UPDATE rollouts SET revision = ?, status = ?, updated_at = ?, doc = ? WHERE id = ? AND revision = ?')
        .run(revision, status, updatedAt, doc, id, next.revision - 1).changes;
      if (changed !== 1) return 'conflict';
      this.appendInTx(audit);
      this.enqueueInTx(effects);
      return 'ok';
    }).immediate();
  }

  async getRollout(id: string): Promise<Rollout | null> {
    const row = this.stmt('SELECT doc FROM rollouts WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? toRollout(row) : null;
  }

  async listRollouts(filter: RolloutFilter): Promise<{ rollouts: Rollout[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses) {
      if (filter.statuses.length === 0) return { rollouts: [], total: 0 };
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.env !== undefined) { where.push('env = ?'); params.push(filter.env); }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.stmt(`SELECT count(*) AS n FROM rollouts ${clause}`).get(...params) as { n: number }).n;
    const rows = this.stmt(`SELECT doc FROM rollouts ${clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...params, limitOf(filter.limit), Math.max(0, Math.floor(filter.offset ?? 0))) as { doc: string }[];
    return { rollouts: rows.map(toRollout), total };
  }

  async appendAudit(drafts: AuditDraft[], effects: EffectDraft[] = []): Promise<AuditEntry[]> {
    return this.db.transaction(() => {
      const entries = this.appendInTx(drafts);
      this.enqueueInTx(effects);
      return entries;
    }).immediate();
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.model !== undefined) { where.push('model = ?'); params.push(filter.model); }
    if (filter.env !== undefined) { where.push('env = ?'); params.push(filter.env); }
    if (filter.requestId !== undefined) { where.push('request_id = ?'); params.push(filter.requestId); }
    if (filter.since !== undefined) { where.push('at >= ?'); params.push(iso(filter.since)); }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.stmt(sql).all(...params, limitOf(filter.limit)) as AuditRow[]).map(toAuditEntry);
  }

  async auditHead(): Promise<AuditHead | null> {
    return (this.stmt('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined) ?? null;
  }

  async readAuditChain(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = this.stmt('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq ASC LIMIT ?').all(afterSeq, limit) as AuditRow[];
    return rows.map(toAuditEntry);
  }

  async enqueueEffects(effects: EffectDraft[]): Promise<void> {
    this.db.transaction(() => this.enqueueInTx(effects)).immediate();
  }

  async claimEffects(now: Date, limit: number, leaseMs: number, filter: ClaimFilter = {}): Promise<OutboxEffect[]> {
    // A running effect's next_attempt_at is its lease expiry, so one condition finds both cases.
    const since = filter.createdSince ? iso(filter.createdSince) : '';
    const rows = this.stmt(`UPDATE effects SET status = 'running', attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
      WHERE id IN (SELECT id FROM effects WHERE status IN ('pending', 'running') AND next_attempt_at <= ? AND created_at >= ?
                   ORDER BY next_attempt_at, id LIMIT ?)
      RETURNING *`).all(iso(now.getTime() + leaseMs), iso(now), iso(now), since, limit) as EffectRow[];
    return rows.map(toEffect).sort((a, b) => a.id - b.id);
  }

  async completeEffect(id: number, result: Record<string, unknown>): Promise<void> {
    this.stmt(`UPDATE effects SET status = 'done', result = ?, last_error = NULL, updated_at = ? WHERE id = ? AND status <> 'done'`)
      .run(JSON.stringify(result ?? {}), this.now(), id);
  }

  async failEffect(id: number, error: string, retryAt: Date | null): Promise<void> {
    // Only a running effect can fail: a late report from a worker whose lease was taken over must
    // not undo the outcome the next worker recorded.
    const nowIso = this.now();
    this.stmt(`UPDATE effects SET status = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'running'`)
      .run(retryAt ? 'pending' : 'dead', clipError(error), retryAt ? iso(retryAt) : nowIso, nowIso, id);
  }

  async getEffect(key: string): Promise<OutboxEffect | null> {
    const row = this.stmt('SELECT * FROM effects WHERE key = ?').get(key) as EffectRow | undefined;
    return row ? toEffect(row) : null;
  }

  async listEffects(filter: { status: EffectStatus; keyPrefix?: string; limit?: number }): Promise<OutboxEffect[]> {
    const prefix = filter.keyPrefix ?? '';
    const rows = this.stmt('SELECT * FROM effects WHERE status = ? AND substr(key, 1, ?) = ? ORDER BY id LIMIT ?')
      .all(filter.status, prefix.length, prefix, filter.limit ?? 1000) as EffectRow[];
    return rows.map(toEffect);
  }

  async reviveEffect(id: number, now: Date): Promise<boolean> {
    return this.stmt(`UPDATE effects SET status = 'pending', attempts = 0, not_before = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'dead'`)
      .run(iso(now), iso(now), this.now(), id).changes === 1;
  }

  async markSeen(key: string, now: Date): Promise<boolean> {
    return this.stmt('INSERT INTO seen_keys (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, iso(now)).changes === 1;
  }

  async getDoc<T>(namespace: string, key: string): Promise<T | null> {
    const row = this.stmt('SELECT value FROM docs WHERE namespace = ? AND key = ?').get(namespace, key) as { value: string } | undefined;
    return row ? fromJson<T>(row.value) : null;
  }

  async putDoc<T>(namespace: string, key: string, value: T): Promise<void> {
    this.stmt(`INSERT INTO docs (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
      .run(namespace, key, JSON.stringify(value), this.now());
  }

  async listDocs<T>(namespace: string): Promise<{ key: string; value: T }[]> {
    const rows = this.stmt('SELECT key, value FROM docs WHERE namespace = ? ORDER BY key').all(namespace) as { key: string; value: string }[];
    return rows.map((r) => ({ key: r.key, value: fromJson<T>(r.value) }));
  }

  async deleteDoc(namespace: string, key: string): Promise<boolean> {
    return this.stmt('DELETE FROM docs WHERE namespace = ? AND key = ?').run(namespace, key).changes > 0;
  }

  async acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    const params = leaseParams(name, holder, now, ttlMs);
    return this.db.transaction((): Lease => {
      const won = this.stmt(leaseUpsertSql(() => '?')).get(...params) as LeaseRow | undefined;
      return toLease(won ?? (this.stmt('SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow));
    }).immediate();
  }

  async releaseLease(name: string, holder: string): Promise<boolean> {
    return this.stmt('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder).changes > 0;
  }

  async getLease(name: string): Promise<Lease | null> {
    const row = this.stmt('SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
    return row ? toLease(row) : null;
  }

  async stats(now: Date): Promise<StoreStats> {
    const states = this.stmt(REQUEST_COUNT_SQL).all() as { state: string; n: number }[];
    return toStats(states, this.stmt(outboxCountSql(() => '?')).all(iso(now)) as OutboxCountRow[]);
  }

  /** Must run inside a write transaction: the head read and the inserts are one atomic step. */
  private appendInTx(drafts: AuditDraft[]): AuditEntry[] {
    if (drafts.length === 0) return [];
    // The anchored head, not the log's last row: entries deleted from the log leave a gap verify sees.
    const anchored = this.stmt('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    let head = anchored ?? { seq: 0, hash: GENESIS_HASH };
    const insert = this.stmt(`INSERT INTO audit_log (seq, at, prev_hash, hash, action, actor, env, model, request_id, detail, correlation_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const at = this.now();
    const entries = drafts.map((draft) => {
      const entry = chainEntry(head, at, draft);
      insert.run(...auditParams(entry));
      head = entry;
      return entry;
    });
    this.stmt('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(head.seq, head.hash);
    return entries;
  }

  private enqueueInTx(effects: EffectDraft[]): void {
    if (effects.length === 0) return;
    const insert = this.stmt(`INSERT INTO effects (key, kind, payload, not_before, next_attempt_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`);
    const now = this.opts.clock.now();
    for (const e of effects) insert.run(...effectParams(e, now), iso(now));
  }
}

function limitOf(limit: number | undefined): number {
  // SQLite reads a negative LIMIT as "no limit".
  return limit === undefined || limit === Infinity ? -1 : Math.max(0, Math.floor(limit));
}
