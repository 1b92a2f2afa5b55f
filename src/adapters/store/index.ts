/**
 * Opens the store named by a database URL (DESIGN §6 `DATABASE_URL`):
 * `sqlite:<path>` (parent folder created, `sqlite::memory:` for a throwaway store) or
 * `postgres://…` / `postgresql://…`. Migrations run on open unless told otherwise.
 */
import { BotError } from '../../core/errors';
import type { Clock, Logger, Store } from '../../core/ports';
import type { PgStore } from './postgres/pg-store';
import type { SqliteStore } from './sqlite/sqlite-store';


export interface OpenStoreOptions {
  clock?: Clock;
  log?: Logger;
  /** Default true: bring the schema up to date before returning. */
  migrate?: boolean;
  /** PostgreSQL only: schema holding the tables (created on migrate). */
  schema?: string;
  /** PostgreSQL only: pool size (default 10). */
  poolMax?: number;
  /** SQLite only: how long a writer waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

const systemClock: Clock = { now: () => new Date() };

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export function parseDatabaseUrl(databaseUrl: string): StoreTarget {
  const url = databaseUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    // `sqlite:///abs/x.db` and `sqlite://./x.db` are accepted as well as the plain `sqlite:<path>`.
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '');
    if (file === '') throw badUrl(databaseUrl);
    return { kind: 'sqlite', file };
  }
  throw badUrl(databaseUrl);
}

export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  const clock = opts.clock ?? systemClock;
  // Each driver is loaded only when used: a SQLite start-up never pays for pg, nor PostgreSQL for SQLite.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const store: SqliteStore | PgStore = target.kind === 'sqlite'
    ? new (require('./sqlite/sqlite-store') as typeof import('./sqlite/sqlite-store')).SqliteStore(target.file, { clock, busyTimeoutMs: opts.busyTimeoutMs })
    : new (require('./postgres/pg-store') as typeof import('./postgres/pg-store')).PgStore(target.url, { clock, log: opts.log, schema: opts.schema, poolMax: opts.poolMax });
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (opts.migrate !== false) {
    try {
      await store.migrate();
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  }
  return store;
}

function badUrl(databaseUrl: string): BotError {
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(databaseUrl)?.[0] ?? '(none)';
  return new BotError('config_invalid', `DATABASE_URL has an unsupported scheme ${scheme}`, {
    remedy: 'Use sqlite:<path> (for example sqlite:./data/mlops-bot.db) or postgres://user@host:5432/db.',
  });
}
