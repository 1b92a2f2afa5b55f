import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, parseDatabaseUrl } from '../../src/adapters/store';
import { verifyStoreChain } from '../../src/core/audit/chain';
import { FakeClock } from '../fakes/clock';
import { storeContract } from '../contract/store-contract';
import { sqliteFileHarness } from '../support/store';

storeContract('SQLite (file, WAL)', sqliteFileHarness());

describe('openStore for SQLite', () => {
  it('reads the path out of sqlite: URLs', () => {
    expect(parseDatabaseUrl('sqlite:./data/mlops-bot.db')).toEqual({ kind: 'sqlite', file: './data/mlops-bot.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/bot.db')).toEqual({ kind: 'sqlite', file: '/var/lib/bot.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgresql://u@h/db')).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db' });
  });

  it('rejects an unknown scheme without echoing the rest of the URL', () => {
    let message = '';
    try { parseDatabaseUrl('mysql://user:s3cret@host/db'); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/mysql:/);
    expect(message).not.toMatch(/s3cret/);
  });

  it('creates the parent folder, uses WAL, and migrates on open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-open-'));
    const file = path.join(dir, 'a', 'b', 'bot.db');
    try {
      const store = await openStore(`sqlite:${file}`, { clock: new FakeClock() });
      await store.appendAudit([{ action: 'x', actor: 'system', detail: {} }]);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.existsSync(`${file}-wal`)).toBe(true);
      await store.close();
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('works in memory', async () => {
    const store = await openStore('sqlite::memory:', { clock: new FakeClock() });
    await store.appendAudit([{ action: 'x', actor: 'system', detail: {} }, { action: 'y', actor: 'system', detail: {} }]);
    expect(await verifyStoreChain(store)).toMatchObject({ ok: true, checked: 2 });
    await store.close();
  });
});
