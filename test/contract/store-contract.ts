/**
 * The behaviour every Store implementation must have (DESIGN §2: "same interface, same tests").
 * Each test gets a fresh, empty database from the factory.
 */
import { verifyStoreChain } from '../../src/core/audit/chain';
import type { AuditDraft } from '../../src/core/audit/types';
import type { Store } from '../../src/core/ports';
import type { PromotionRequest } from '../../src/core/promotion/types';
import type { HarnessFactory, StoreHarness } from '../support/store';
import { effectContract } from './store-contract-effects';
import { leaseContract } from './store-contract-leases';
import { rolloutContract } from './store-contract-rollouts';
import { openRequestContract } from './store-contract-open';
import { makeRequest } from './store-fixtures';

export { makeRequest };

const draft = (i: number, over: Partial<AuditDraft> = {}): AuditDraft => ({
  action: 'test.event', actor: 'slack:U0A', detail: { i, f: 0.1 + 0.2, big: 12345678901234, neg: -1.5e-7, nested: { b: [1, 'two', { z: true, a: null }], a: 'é ✓ "q" \\' } }, ...over,
});

async function count(h: StoreHarness, table: string): Promise<number> {
  return Number((await h.sql(`SELECT count(*) AS n FROM ${table}`))[0].n);
}

export function storeContract(label: string, factory: HarnessFactory, caps: { reopen: boolean } = { reopen: true }): void {
  describe(`Store contract: ${label}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => { h = await factory(); store = h.store; });
    afterEach(async () => { await h.dispose(); });

    describe('migrations', () => {
      it('applying them again is a no-op and keeps the data', async () => {
        await store.createRequest(makeRequest(), [draft(1)], []);
        const versions = await count(h, 'schema_migrations');
        expect(versions).toBeGreaterThanOrEqual(1);
        await store.migrate();
        await store.migrate();
        expect(await count(h, 'schema_migrations')).toBe(versions);
        expect(await store.getRequest('PR-AAAAA')).toEqual(makeRequest());
      });

      it('several instances migrating a fresh database at once apply each version once', async () => {
        const fresh = await factory({ migrate: false });
        try {
          const others = [await fresh.openAnother({ migrate: false }), await fresh.openAnother({ migrate: false })];
          await Promise.all([fresh.store.migrate(), ...others.map((s) => s.migrate())]);
          const rows = await fresh.sql('SELECT version FROM schema_migrations ORDER BY version');
          expect(new Set(rows.map((r) => Number(r.version))).size).toBe(rows.length);
          await others[1].appendAudit([draft(1)]);
          expect((await verifyStoreChain(fresh.store)).ok).toBe(true);
        } finally { await fresh.dispose(); }
      });
    });

    describe('requests', () => {
      it('stores and returns a request exactly', async () => {
        const req = makeRequest({ release: { kind: 'classic', id: 42, approvalId: 'a1', lastState: 'in_progress' } as PromotionRequest['release'], expiresAt: '2026-11-05T09:00:00.000Z' });
        await store.createRequest(req, [], []);
        expect(await store.getRequest(req.id)).toEqual(req);
        expect(await store.getRequest('PR-NOPE')).toBeNull();
      });

      it('refuses a duplicate id as a conflict and writes none of its audit or effects', async () => {
        await store.createRequest(makeRequest(), [], []);
        await expect(store.createRequest(makeRequest({ model: 'other' }), [draft(1)], [{ key: 'dup-effect', kind: 'k', payload: {} }]))
          .rejects.toMatchObject({ code: 'conflict' });
        expect(await store.readAuditChain(0, 10)).toEqual([]);
        expect(await store.getEffect('dup-effect')).toBeNull();
        expect((await store.getRequest('PR-AAAAA'))?.model).toBe('taxi-model');
      });

      it('lists with state, env, model filters and a limit, most recently updated first', async () => {
        const mk = (id: string, state: PromotionRequest['state'], targetEnv: string, model: string, minute: number) =>
          makeRequest({ id, state, targetEnv, model, updatedAt: `2026-11-02T10:${String(minute).padStart(2, '0')}:00.000Z` });
        for (const r of [mk('PR-1', 'awaiting_approval', 'prod', 'taxi-model', 1), mk('PR-2', 'succeeded', 'prod', 'taxi-model', 5),
          mk('PR-3', 'awaiting_approval', 'preprod', 'taxi-model', 3), mk('PR-4', 'releasing', 'prod', 'churn', 4)]) {
          await store.createRequest(r, [], []);
        }
        const ids = (rs: PromotionRequest[]) => rs.map((r) => r.id);
        expect(ids(await store.listRequests({}))).toEqual(['PR-2', 'PR-4', 'PR-3', 'PR-1']);
        expect(ids(await store.listRequests({ states: ['awaiting_approval', 'releasing'] }))).toEqual(['PR-4', 'PR-3', 'PR-1']);
        expect(ids(await store.listRequests({ env: 'prod', model: 'taxi-model' }))).toEqual(['PR-2', 'PR-1']);
        expect(ids(await store.listRequests({ states: ['awaiting_approval'], env: 'prod' }))).toEqual(['PR-1']);
        expect(ids(await store.listRequests({ limit: 2 }))).toEqual(['PR-2', 'PR-4']);
        expect(await store.listRequests({ states: [] })).toEqual([]);
      });

      it('commits a transition with its audit and effects', async () => {
        await store.createRequest(makeRequest(), [draft(1, { requestId: 'PR-AAAAA' })], [{ key: 'card:PR-AAAAA', kind: 'chat.post', payload: { n: 1 } }]);
        const next = makeRequest({ revision: 2, state: 'approved', approvals: [{ by: 'slack:U0B', name: 'B', at: '2026-11-02T09:05:00.000Z' }], updatedAt: '2026-11-02T09:05:00.000Z' });
        const res = await store.commitTransition(next, [draft(2, { action: 'promotion.approved', requestId: next.id })],
          [{ key: 'card:PR-AAAAA', kind: 'chat.post', payload: { n: 2 } }, { key: 'release:PR-AAAAA', kind: 'release.start', payload: {} }]);
        expect(res).toBe('ok');
        expect(await store.getRequest(next.id)).toEqual(next);
        expect((await store.listAudit({ requestId: next.id })).map((e) => e.action)).toEqual(['promotion.approved', 'test.event']);
        expect((await store.getEffect('card:PR-AAAAA'))?.payload).toEqual({ n: 1 });
        expect((await store.getEffect('release:PR-AAAAA'))?.kind).toBe('release.start');
      });

      it('returns conflict for a stale revision and writes nothing', async () => {
        await store.createRequest(makeRequest(), [], []);
        const stale = makeRequest({ revision: 3, state: 'approved' });
        expect(await store.commitTransition(stale, [draft(1)], [{ key: 'x1', kind: 'k', payload: {} }])).toBe('conflict');
        expect(await store.commitTransition(makeRequest({ id: 'PR-GHOST', revision: 2 }), [draft(2)], [])).toBe('conflict');
        expect(await store.getRequest('PR-AAAAA')).toEqual(makeRequest());
        expect(await store.readAuditChain(0, 10)).toEqual([]);
        expect(await store.getEffect('x1')).toBeNull();
      });

      it('lets exactly one of several concurrent transitions from the same revision win', async () => {
        await store.createRequest(makeRequest(), [], []);
        const attempts = Array.from({ length: 6 }, (_, i) =>
          store.commitTransition(makeRequest({ revision: 2, state: 'approved', reason: `r${i}` }), [draft(i)], [{ key: `e${i}`, kind: 'k', payload: {} }]));
        const results = await Promise.all(attempts);
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        const winner = results.indexOf('ok');
        expect((await store.getRequest('PR-AAAAA'))?.reason).toBe(`r${winner}`);
        expect(await store.readAuditChain(0, 100)).toHaveLength(1);
        for (let i = 0; i < 6; i++) expect(await store.getEffect(`e${i}`)).toEqual(i === winner ? expect.anything() : null);
      });
    });

    describe('audit chain', () => {
      it('returns appended entries exactly as it reads them back, linked from the genesis', async () => {
        const appended = await store.appendAudit([draft(1, { env: 'prod', model: 'm', requestId: 'PR-1', correlationId: 'c-1' }), draft(2)]);
        expect(appended.map((e) => e.seq)).toEqual([1, 2]);
        expect(appended[0].prevHash).toBe('0'.repeat(64));
        expect(appended[1].prevHash).toBe(appended[0].hash);
        expect(appended[0].at).toBe(h.clock.now().toISOString());
        expect(await store.readAuditChain(0, 10)).toEqual(appended);
      });

      it('stays valid across many appends, verified in pages', async () => {
        for (let i = 0; i < 30; i++) {
          h.clock.advance(1000);
          await store.appendAudit(Array.from({ length: 5 }, (_, j) => draft(i * 5 + j)));
        }
        expect(await verifyStoreChain(store, 7)).toMatchObject({ ok: true, checked: 150 });
        expect((await store.readAuditChain(145, 10)).map((e) => e.seq)).toEqual([146, 147, 148, 149, 150]);
      });

      it('never forks under 20 concurrent appenders', async () => {
        const other = await h.openAnother();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).appendAudit([draft(i), draft(100 + i)])));
        const seqs = results.flat().map((e) => e.seq).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await verifyStoreChain(store, 9)).toMatchObject({ ok: true, checked: 40 });
      });

      it('pinpoints an entry whose detail was edited in the database', async () => {
        for (let i = 1; i <= 8; i++) await store.appendAudit([draft(i)]);
        await h.sql('UPDATE audit_log SET detail = ? WHERE seq = ?', [JSON.stringify({ i: 999 }), 5]);
        const res = await verifyStoreChain(store, 3);
        expect(res).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
        expect(res.firstBroken?.reason).toMatch(/modified/);
      });

      it('pinpoints a deleted entry', async () => {
        await store.appendAudit(Array.from({ length: 6 }, (_, i) => draft(i)));
        await h.sql('DELETE FROM audit_log WHERE seq = ?', [3]);
        expect(await verifyStoreChain(store, 2)).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      });

      it('records the effects of appended entries with them, once per key, or neither', async () => {
        const fx = (key: string, payload: Record<string, unknown> = { key }) => ({ key, kind: 'audit-post', payload });
        const [entry] = await store.appendAudit([draft(1, { env: 'prod' })], [fx('audit:1:slack:C1'), fx('audit:1:teams:19:a')]);
        expect(entry.seq).toBe(1);
        expect(await store.getEffect('audit:1:slack:C1')).toMatchObject({ kind: 'audit-post', status: 'pending', payload: { key: 'audit:1:slack:C1' } });
        await store.appendAudit([draft(2)], [fx('audit:1:slack:C1', { again: true })]);
        expect((await store.getEffect('audit:1:slack:C1'))?.payload).toEqual({ key: 'audit:1:slack:C1' });
        expect(await store.appendAudit([], [fx('only-effect')])).toEqual([]);
        expect(await store.getEffect('only-effect')).not.toBeNull();
        // An effect that cannot be stored (a BigInt has no JSON form) rolls the entry back too.
        await expect(store.appendAudit([draft(3)], [fx('bad', { n: BigInt(1) })])).rejects.toThrow();
        expect(await store.getEffect('bad')).toBeNull();
        expect((await store.readAuditChain(0, 10)).map((e) => e.seq)).toEqual([1, 2]);
        expect(await store.claimEffects(h.clock.now(), 10, 30_000)).toHaveLength(3);
        expect(await verifyStoreChain(store)).toMatchObject({ ok: true, checked: 2 });
      });

      it('filters the log by model, env, request and time, newest first', async () => {
        await store.appendAudit([draft(1, { model: 'a', env: 'prod', requestId: 'PR-1' }), draft(2, { model: 'b', env: 'dev' })]);
        h.clock.advance(3_600_000);
        const since = h.clock.now();
        await store.appendAudit([draft(3, { model: 'a', env: 'dev' }), draft(4, { model: 'a', env: 'prod', requestId: 'PR-1' })]);
        const seqs = (f: Parameters<Store['listAudit']>[0]) => store.listAudit(f).then((es) => es.map((e) => e.seq));
        expect(await seqs({})).toEqual([4, 3, 2, 1]);
        expect(await seqs({ model: 'a' })).toEqual([4, 3, 1]);
        expect(await seqs({ model: 'a', env: 'prod' })).toEqual([4, 1]);
        expect(await seqs({ requestId: 'PR-1' })).toEqual([4, 1]);
        expect(await seqs({ since })).toEqual([4, 3]);
        expect(await seqs({ model: 'a', limit: 2 })).toEqual([4, 3]);
      });
    });

    effectContract(() => h);
    openRequestContract(() => h);
    leaseContract(() => h);
    rolloutContract(() => h);

    describe('dedupe keys and documents', () => {
      it('marks a key seen once', async () => {
        expect(await store.markSeen('slack:evt-1', h.clock.now())).toBe(true);
        expect(await store.markSeen('slack:evt-1', h.clock.now())).toBe(false);
        expect(await store.markSeen('slack:evt-2', h.clock.now())).toBe(true);
        const results = await Promise.all(Array.from({ length: 5 }, () => store.markSeen('teams:x', h.clock.now())));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('upserts, lists, reads and deletes documents per namespace', async () => {
        expect(await store.getDoc('cards', 'PR-1')).toBeNull();
        await store.putDoc('cards', 'PR-1', { channel: 'slack:C1', messageId: '1.1' });
        await store.putDoc('cards', 'PR-1', { channel: 'slack:C1', messageId: '2.2' });
        await store.putDoc('cards', 'PR-0', ['a', 1, null]);
        await store.putDoc('checkpoints', 'PR-1', 'x');
        expect(await store.getDoc('cards', 'PR-1')).toEqual({ channel: 'slack:C1', messageId: '2.2' });
        expect(await store.listDocs('cards')).toEqual([{ key: 'PR-0', value: ['a', 1, null] }, { key: 'PR-1', value: { channel: 'slack:C1', messageId: '2.2' } }]);
        expect(await store.deleteDoc('cards', 'PR-1')).toBe(true);
        expect(await store.deleteDoc('cards', 'PR-1')).toBe(false);
        expect(await store.getDoc('checkpoints', 'PR-1')).toBe('x');
      });
    });

    (caps.reopen ? it : it.skip)('keeps everything after the store is closed and opened again', async () => {
      await store.createRequest(makeRequest(), [draft(1)], [{ key: 'k1', kind: 'chat.post', payload: { a: 1 } }]);
      await store.putDoc('ns', 'k', { v: 1 });
      await store.markSeen('seen-1', h.clock.now());
      await store.close();
      const again = await h.openAnother();
      expect(await again.getRequest('PR-AAAAA')).toEqual(makeRequest());
      expect((await again.getEffect('k1'))?.payload).toEqual({ a: 1 });
      expect(await again.getDoc('ns', 'k')).toEqual({ v: 1 });
      expect(await again.markSeen('seen-1', h.clock.now())).toBe(false);
      await again.appendAudit([draft(2)]);
      expect(await verifyStoreChain(again)).toMatchObject({ ok: true, checked: 2 });
    });
  });
}
