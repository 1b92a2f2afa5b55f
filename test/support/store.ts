/**
 * Opening real stores for tests: SQLite files in a temp folder, PostgreSQL in a throwaway schema
 * (random name, dropped afterwards) so parallel runs never see each other's rows.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { openStore } from '../../src/adapters/store';
import type { Store } from '../../src/core/ports';
import { FakeClock } from '../fakes/clock';

export interface StoreHarness {
  clock: FakeClock;
  store: Store;
  /** Another store on the same database (a restart, or a second instance). */
  openAnother(opts?: { migrate?: boolean }): Promise<Store>;
  /** Raw SQL under the API, `?` placeholders in both dialects. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export type HarnessFactory = (opts?: { migrate?: boolean }) => Promise<StoreHarness>;

/** A store on `sqlite::memory:` for unit tests. */
export async function memoryStore(clock = new FakeClock()): Promise<Store> {
  return openStore('sqlite::memory:', { clock });
}

export function sqliteFileHarness(): HarnessFactory {
  return async (opts) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-store-'));
    const url = `sqlite:${path.join(dir, 'nested', 'bot.db')}`;
    const clock = new FakeClock();
    const opened: Store[] = [];
    const open = async (o?: { migrate?: boolean }) => {
      const s = await openStore(url, { clock, migrate: o?.migrate });
      opened.push(s);
      return s;
    };
    const store = await open(opts);
    return {
      clock, store, openAnother: open,
      sql: async (text, params = []) => {
        const db = new Database(path.join(dir, 'nested', 'bot.db'));
        try {
          const stmt = db.prepare(text);
          if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
          stmt.run(...params);
          return [];
        } finally { db.close(); }
      },
      dispose: async () => {
        for (const s of opened) await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** Same schema prefix for every store of one test file, so a final sweep can drop leftovers. */
export function pgSchemaPrefix(): string {
  return `t_${crypto.randomBytes(5).toString('hex')}`;
}

export function pgHarness(url: string, prefix: string): HarnessFactory {
  let n = 0;
  return async (opts) => {
    const schema = `${prefix}_${++n}`;
    const clock = new FakeClock();
    const opened: Store[] = [];
    const open = async (o?: { migrate?: boolean }) => {
      const s = await openStore(url, { clock, schema, poolMax: 8, migrate: o?.migrate });
      opened.push(s);
      return s;
    };
    const store = await open(opts);
    const admin = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await admin.connect();
    return {
      clock, store, openAnother: open,
      sql: async (text, params = []) => {
        let i = 0;
        const res = await admin.query(text.replace(/\?/g, () => `$${++i}`), params);
        return res.rows as Record<string, unknown>[];
      },
      dispose: async () => {
        for (const s of opened) await s.close();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
    };
  };
}

/** Drops every schema a test file created, even those of tests that failed half way. */
export async function dropPgSchemas(url: string, prefix: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const res = await c.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${prefix}\\_%`]);
    for (const r of res.rows) await c.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
  } finally { await c.end(); }
}

/**
 * Whether PostgreSQL answers at `url`. Synchronous (a child process) because jest needs to know
 * while it collects tests whether to register or skip them.
 */
export function pgReachable(url: string, timeoutMs = 5000): { ok: boolean; reason?: string } {
  const script = `const { Client } = require('pg');
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: ${timeoutMs} });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0),
      (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  const res = spawnSync(process.execPath, ['-e', script, url], { cwd: path.join(__dirname, '..', '..'), timeout: timeoutMs + 2000, encoding: 'utf8' });
  if (res.status === 0) return { ok: true };
  return { ok: false, reason: (res.stderr || res.error?.message || `exit ${res.status}`).trim().split('\n')[0] };
}
