/**
 * Part of the Store contract: one open request at a time per model version and environment,
 * enforced by the database so two instances (or two chats) racing cannot both create one.
 */
import type { AuditDraft } from '../../src/core/audit/types';
import type { PromotionRequest, PromotionState } from '../../src/core/promotion/types';
import type { StoreHarness } from '../support/store';
import { makeRequest } from './store-fixtures';

const entry = (requestId: string): AuditDraft => ({ action: 'promotion.requested', actor: 'slack:U0REQ', requestId, detail: {} });
const OPEN: PromotionState[] = ['requested', 'awaiting_approval', 'approved', 'releasing'];
const ENDED: PromotionState[] = ['blocked', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled'];

export function openRequestContract(harness: () => StoreHarness): void {
  describe('one open request per model version and environment', () => {
    it('two created at once from two instances: exactly one succeeds, the other is a conflict that writes nothing', async () => {
      const h = harness();
      const other = await h.openAnother();
      const a = makeRequest({ id: 'PR-RITA1' });
      const b = makeRequest({ id: 'PR-ALIC2', requester: { id: 'teams:alice', name: 'Alice' } });
      const results = await Promise.allSettled([
        h.store.createRequest(a, [entry(a.id)], [{ key: `${a.id}:start_release`, kind: 'start_release', payload: {} }]),
        other.createRequest(b, [entry(b.id)], [{ key: `${b.id}:start_release`, kind: 'start_release', payload: {} }]),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(lost.reason).toMatchObject({ code: 'conflict', message: 'taxi-model v3 already has an open promotion request to prod.' });
      const winner = results[0].status === 'fulfilled' ? a : b;
      const loser = winner === a ? b : a;
      expect(await h.store.getRequest(winner.id)).toEqual(winner);
      expect(await h.store.getRequest(loser.id)).toBeNull();
      expect((await h.store.readAuditChain(0, 10)).map((e) => e.requestId)).toEqual([winner.id]);
      expect(await h.store.getEffect(`${loser.id}:start_release`)).toBeNull();
    });

    it.each(OPEN)('a request that is %s holds the way; another model, version or environment does not collide', async (state) => {
      const { store } = harness();
      await store.createRequest(makeRequest({ id: 'PR-1', state }), [], []);
      await expect(store.createRequest(makeRequest({ id: 'PR-2' }), [], [])).rejects.toMatchObject({ code: 'conflict' });
      await store.createRequest(makeRequest({ id: 'PR-3', version: '4' }), [], []);
      await store.createRequest(makeRequest({ id: 'PR-4', targetEnv: 'preprod' }), [], []);
      await store.createRequest(makeRequest({ id: 'PR-5', model: 'churn-model' }), [], []);
      expect((await store.listRequests({})).map((r) => r.id).sort()).toEqual(['PR-1', 'PR-3', 'PR-4', 'PR-5']);
    });

    it('a request that ended, or never opened, does not block a new one', async () => {
      const { store } = harness();
      for (const [i, state] of ENDED.entries()) await store.createRequest(makeRequest({ id: `PR-E${i}`, state }), [], []);
      await store.createRequest(makeRequest({ id: 'PR-1' }), [], []);
      const ended: PromotionRequest = makeRequest({ id: 'PR-1', revision: 2, state: 'succeeded', updatedAt: '2026-11-02T10:00:00.000Z' });
      expect(await store.commitTransition(ended, [], [])).toBe('ok');
      await store.createRequest(makeRequest({ id: 'PR-2' }), [], []);
      expect((await store.getRequest('PR-2'))?.state).toBe('awaiting_approval');
      // Moving through the open states is one row changing: never a collision with itself.
      expect(await store.commitTransition(makeRequest({ id: 'PR-2', revision: 2, state: 'approved' }), [], [])).toBe('ok');
      expect(await store.commitTransition(makeRequest({ id: 'PR-2', revision: 3, state: 'releasing' }), [], [])).toBe('ok');
    });

    it('the upgrade keeps requests that were already open twice, and refuses any more', async () => {
      const h = harness();
      // The database as it was before the index: duplicates could be stored.
      await h.sql('DROP INDEX requests_one_open');
      await h.sql('ALTER TABLE requests DROP COLUMN duplicate_of');
      await h.sql('DELETE FROM schema_migrations WHERE version = 2');
      await h.store.createRequest(makeRequest({ id: 'PR-OLD' }), [], []);
      await h.store.createRequest(makeRequest({ id: 'PR-NEW', createdAt: '2026-11-02T09:05:00.000Z' }), [], []);
      await h.store.createRequest(makeRequest({ id: 'PR-DONE', state: 'succeeded' }), [], []);
      await h.store.migrate();
      expect(await h.sql('SELECT id, duplicate_of FROM requests WHERE duplicate_of IS NOT NULL')).toEqual([{ id: 'PR-NEW', duplicate_of: 'PR-OLD' }]);
      expect(await h.store.commitTransition(makeRequest({ id: 'PR-NEW', revision: 2, state: 'approved' }), [], [])).toBe('ok');
      await expect(h.store.createRequest(makeRequest({ id: 'PR-3' }), [], [])).rejects.toMatchObject({ code: 'conflict' });
      expect((await h.store.listRequests({})).map((r) => r.id).sort()).toEqual(['PR-DONE', 'PR-NEW', 'PR-OLD']);
    });
  });
}
