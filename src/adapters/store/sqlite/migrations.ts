/**
 * SQLite schema, as an append-only list: a released migration is never edited, a change is a new
 * version. Times are canonical ISO text (`Date#toISOString`), which sorts chronologically.
 */
import type Database from 'better-sqlite3';
import { GENESIS_HASH } from '../../../core/audit/chain';

export interface Migration { version: number; name: string; sql: string }

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        state TEXT NOT NULL,
        source_env TEXT NOT NULL,
        target_env TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX requests_state ON requests (state, updated_at);
      CREATE INDEX requests_env_model ON requests (target_env, model, updated_at);
      CREATE INDEX requests_updated ON requests (updated_at);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        env TEXT,
        model TEXT,
        request_id TEXT,
        detail TEXT NOT NULL,
        correlation_id TEXT
      );
      CREATE INDEX audit_model ON audit_log (model, seq);
      CREATE INDEX audit_request ON audit_log (request_id, seq);
      CREATE INDEX audit_at ON audit_log (at);

      CREATE TABLE effects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        not_before TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        result TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX effects_due ON effects (status, next_attempt_at);

      CREATE TABLE seen_keys (
        key TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
      );
      CREATE INDEX seen_keys_at ON seen_keys (seen_at);

      CREATE TABLE docs (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
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
      ALTER TABLE requests ADD COLUMN duplicate_of TEXT;
      UPDATE requests SET duplicate_of = (
        SELECT o.id FROM requests o
        WHERE o.target_env = requests.target_env AND o.model = requests.model AND o.version = requests.version
          AND o.state IN ('requested', 'awaiting_approval', 'approved', 'releasing')
          AND (o.created_at < requests.created_at OR (o.created_at = requests.created_at AND o.id < requests.id))
        ORDER BY o.created_at, o.id LIMIT 1)
      WHERE state IN ('requested', 'awaiting_approval', 'approved', 'releasing');
      CREATE UNIQUE INDEX requests_one_open ON requests (target_env, model, version)
        WHERE state IN ('requested', 'awaiting_approval', 'approved', 'releasing') AND duplicate_of IS NULL;
    `,
  },
  {
    version: 3,
    name: 'leases shared by replicas',
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        since TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        term INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'audit chain head kept outside the log',
    // The head (count and last hash) lives apart from the entries, so deleting the newest entries
    // shows up in \`audit verify\`; an existing log is anchored at its current last entry.
    sql: `
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash)
        SELECT 1, COALESCE((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0),
               COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${GENESIS_HASH}');
    `,
  },
  {
    version: 5,
    name: 'progressive rollouts',
    // One active (running or paused) rollout per endpoint of an environment, held by the index.
    sql: `
      CREATE TABLE rollouts (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        env TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        model TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX rollouts_one_active ON rollouts (env, endpoint) WHERE status IN ('running', 'paused');
      CREATE INDEX rollouts_status ON rollouts (status, updated_at);
      CREATE INDEX rollouts_created ON rollouts (created_at);
    `,
  },
];

/**
 * Applies pending migrations inside one IMMEDIATE transaction: the write lock is taken before
 * reading `schema_migrations`, so two processes starting together cannot both apply a version.
 */
export function migrateSqlite(db: Database.Database, now: () => string, migrations = SQLITE_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const apply = db.transaction((): number[] => {
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
      applied.push(m.version);
    }
    return applied;
  });
  return apply.immediate();
}
