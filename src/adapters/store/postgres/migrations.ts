/**
 * PostgreSQL schema, append-only like the SQLite one. Every table lives in the connection's
 * `search_path` schema, so one database can host several isolated installations (and test runs).
 */
import type { Pool } from 'pg';
import { GENESIS_HASH } from '../../../core/audit/chain';

export interface PgMigration { version: number; name: string; sql: string }

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE requests (
        id text PRIMARY KEY,
        revision integer NOT NULL,
        state text NOT NULL,
        source_env text NOT NULL,
        target_env text NOT NULL,
        model text NOT NULL,
        version text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE INDEX requests_state ON requests (state, updated_at);
      CREATE INDEX requests_env_model ON requests (target_env, model, updated_at);
      CREATE INDEX requests_updated ON requests (updated_at);

      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        action text NOT NULL,
        actor text NOT NULL,
        env text,
        model text,
        request_id text,
        detail jsonb NOT NULL,
        correlation_id text
      );
      CREATE INDEX audit_model ON audit_log (model, seq);
      CREATE INDEX audit_request ON audit_log (request_id, seq);
      CREATE INDEX audit_at ON audit_log (at);

      -- One row whose lock serialises appenders, so concurrent transactions never fork the chain.
      CREATE TABLE audit_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');

      CREATE TABLE effects (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        not_before timestamptz,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        result jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX effects_due ON effects (next_attempt_at, id) WHERE status IN ('pending', 'running');

      CREATE TABLE seen_keys (
        key text PRIMARY KEY,
        seen_at timestamptz NOT NULL
      );
      CREATE INDEX seen_keys_at ON seen_keys (seen_at);

      CREATE TABLE docs (
        namespace text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (namespace, key)
      );
    `,
  },
  {
    version: 2,
    name: 'one open request per model version and environment',
    // Requests left open twice by the race this closes keep working: every open one but the
    // oldest is marked as a duplicate and stays outside the index until it ends.
    sql: `
      ALTER TABLE requests ADD COLUMN duplicate_of text;
      UPDATE requests r SET duplicate_of = (
        SELECT o.id FROM requests o
        WHERE o.target_env = r.target_env AND o.model = r.model AND o.version = r.version
          AND o.state IN ('requested', 'awaiting_approval', 'approved', 'releasing')
          AND (o.created_at < r.created_at OR (o.created_at = r.created_at AND o.id < r.id))
        ORDER BY o.created_at, o.id LIMIT 1)
      WHERE r.state IN ('requested', 'awaiting_approval', 'approved', 'releasing');
      CREATE UNIQUE INDEX requests_one_open ON requests (target_env, model, version)
        WHERE state IN ('requested', 'awaiting_approval', 'approved', 'releasing') AND duplicate_of IS NULL;
    `,
  },
  {
    version: 3,
    name: 'leases shared by replicas',
    sql: `
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        since timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        term bigint NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'progressive rollouts',
    // One active (running or paused) rollout per endpoint of an environment, held by the index.
    sql: `
      CREATE TABLE rollouts (
        id text PRIMARY KEY,
        revision integer NOT NULL,
        status text NOT NULL,
        env text NOT NULL,
        endpoint text NOT NULL,
        model text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE UNIQUE INDEX rollouts_one_active ON rollouts (env, endpoint) WHERE status IN ('running', 'paused');
      CREATE INDEX rollouts_status ON rollouts (status, updated_at);
      CREATE INDEX rollouts_created ON rollouts (created_at);
    `,
  },
];

export const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Applies pending migrations in one transaction under an advisory lock keyed by the schema, so
 * several instances starting at once apply each version exactly once (PostgreSQL DDL is
 * transactional: a failed migration leaves nothing behind).
 */
export async function migratePostgres(pool: Pool, schema: string | undefined, migrations = PG_MIGRATIONS): Promise<number[]> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('mlops-bot:migrate:' || coalesce($1::text, current_schema(), '')))`, [schema ?? null]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
