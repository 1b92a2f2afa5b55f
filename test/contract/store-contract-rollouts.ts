/**
 * Part of the Store contract: rollouts (DESIGN 9.4) are stored whole, change only by revision
 * (compare-and-set, so a step is decided once whichever replica decides it), and only one at a
 * time may be active on an endpoint of an environment, enforced by the database.
 */
import type { Rollout } from '../../src/core/rollout/types';
import type { StoreHarness } from '../support/store';

export function makeRollout(over: Partial<Rollout> = {}): Rollout {
  return {
    id: 'RO-AAAAA', revision: 1, status: 'running', model: 'taxi-model', version: '5', env: 'prod', endpoint: 'taxi-online',
    canary: 'green', baseline: 'blue', baselineVersion: '3', steps: [10, 50, 100], stepIndex: 0, phase: 'shifting', stepTries: 0,
    everyMs: 30_000, thresholds: { maxErrorRate: 0.01, maxLatencyIncrease: 0.25 }, policySource: 'models[2] "taxi-*"', others: {},
    emptyChecks: 0, checks: [], requester: { id: 'cli:alice', name: 'alice' }, channel: 'cli:oncall',
    createdAt: '2026-12-05T10:00:00.000Z', updatedAt: '2026-12-05T10:00:00.000Z', ...over,
  };
}

const started = (id: string) => [{ action: 'rollout.started', actor: 'cli:alice', requestId: id, detail: {} }];

export function rolloutContract(harness: () => StoreHarness): void {
  describe('rollouts', () => {
    it('stores a rollout whole, with its audit entry and effects in one transaction', async () => {
      const { store } = harness();
      const r = makeRollout({ checks: [{ at: '2026-12-05T10:00:30.000Z', percent: 10, windowFrom: '2026-12-05T10:00:00.000Z', verdict: 'pass', reasons: [], canary: { requests: 40, errors5xx: 0, errorRate: 0, latencyP95Ms: 101.5 }, baseline: { requests: 360, errors5xx: 1, errorRate: 1 / 360, latencyP95Ms: null } }] });
      await store.createRollout(r, started(r.id), [{ key: `rollout:${r.id}:step:0`, kind: 'rollout_traffic', payload: { rolloutId: r.id } }]);
      expect(await store.getRollout(r.id)).toEqual(r);
      expect(await store.getEffect(`rollout:${r.id}:step:0`)).toMatchObject({ kind: 'rollout_traffic', status: 'pending' });
      expect((await store.listAudit({ requestId: r.id })).map((a) => a.action)).toEqual(['rollout.started']);
      expect(await store.getRollout('RO-NONE0')).toBeNull();
    });

    it('commits by revision: a stale writer gets a conflict and writes nothing', async () => {
      const { store } = harness();
      const r = makeRollout();
      await store.createRollout(r, [], []);
      const a = { ...r, revision: 2, phase: 'watching' as const };
      const b = { ...r, revision: 2, status: 'paused' as const };
      expect(await store.commitRollout(a, [], [{ key: 'a', kind: 'x', payload: {} }])).toBe('ok');
      expect(await store.commitRollout(b, [{ action: 'rollout.paused', actor: 'x', detail: {} }], [{ key: 'b', kind: 'x', payload: {} }])).toBe('conflict');
      expect(await store.getRollout(r.id)).toEqual(a);
      expect(await store.getEffect('b')).toBeNull();
      expect(await store.listAudit({})).toEqual([]);
    });

    it('one active rollout per endpoint, raced from two instances; an ended one does not count', async () => {
      const h = harness();
      const other = await h.openAnother();
      const a = makeRollout({ id: 'RO-AAAA1' });
      const b = makeRollout({ id: 'RO-BBBB2' });
      const results = await Promise.allSettled([h.store.createRollout(a, started(a.id), []), other.createRollout(b, started(b.id), [])]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(lost.reason).toMatchObject({ code: 'conflict', message: 'Another rollout is already moving the traffic of taxi-online in prod.' });
      expect((await h.store.listAudit({})).length).toBe(1);
      const winner = results[0].status === 'fulfilled' ? a : b;
      await h.store.commitRollout({ ...winner, revision: 2, status: 'rolled_back' }, [], []);
      await h.store.createRollout(makeRollout({ id: 'RO-CCCC3' }), [], []);
      await h.store.createRollout(makeRollout({ id: 'RO-DDDD4', env: 'preprod' }), [], []);
      await expect(h.store.createRollout(makeRollout({ id: 'RO-CCCC3', env: 'dev' }), [], [])).rejects.toMatchObject({ code: 'conflict' });
    });

    it('lists newest first, filtered by status and environment, one page at a time with the total', async () => {
      const { store } = harness();
      for (let i = 0; i < 5; i++) {
        await store.createRollout(makeRollout({ id: `RO-LIST${i}`, endpoint: `ep-${i}`, env: i % 2 ? 'prod' : 'preprod', status: i < 2 ? 'succeeded' : 'running', createdAt: `2026-12-05T10:0${i}:00.000Z` }), [], []);
      }
      const all = await store.listRollouts({ limit: 2 });
      expect(all.total).toBe(5);
      expect(all.rollouts.map((r) => r.id)).toEqual(['RO-LIST4', 'RO-LIST3']);
      expect((await store.listRollouts({ limit: 2, offset: 4 })).rollouts.map((r) => r.id)).toEqual(['RO-LIST0']);
      const running = await store.listRollouts({ statuses: ['running', 'paused'] });
      expect(running).toMatchObject({ total: 3 });
      expect((await store.listRollouts({ env: 'prod' })).rollouts.map((r) => r.id)).toEqual(['RO-LIST3', 'RO-LIST1']);
      expect(await store.listRollouts({ statuses: [] })).toEqual({ rollouts: [], total: 0 });
    });
  });
}
