/** Leases and monitoring counts, part of the Store contract: one holder at a time, across instances. */
import type { StoreHarness } from '../support/store';
import { makeRequest } from './store-fixtures';

const TTL = 15_000;

export function leaseContract(harness: () => StoreHarness): void {
  describe('leases', () => {
    it('grants a free lease, lets its holder renew it, and refuses others while it is valid', async () => {
      const { store, clock } = harness();
      const t0 = clock.now();
      expect(await store.getLease('leader')).toBeNull();
      const first = await store.acquireLease('leader', 'replica-a', t0, TTL);
      expect(first).toEqual({ name: 'leader', holder: 'replica-a', since: t0.toISOString(), expiresAt: new Date(t0.getTime() + TTL).toISOString(), term: 1 });
      clock.advance(5000);
      const renewed = await store.acquireLease('leader', 'replica-a', clock.now(), TTL);
      expect(renewed).toMatchObject({ holder: 'replica-a', since: t0.toISOString(), expiresAt: new Date(clock.now().getTime() + TTL).toISOString(), term: 1 });
      const refused = await store.acquireLease('leader', 'replica-b', clock.now(), TTL);
      expect(refused).toEqual(renewed);
      expect(await store.getLease('leader')).toEqual(renewed);
    });

    it('passes an expired lease to the next holder with a new term', async () => {
      const { store, clock } = harness();
      await store.acquireLease('leader', 'replica-a', clock.now(), TTL);
      clock.advance(TTL);
      const taken = await store.acquireLease('leader', 'replica-b', clock.now(), TTL);
      expect(taken).toMatchObject({ holder: 'replica-b', since: clock.now().toISOString(), term: 2 });
      // The old holder coming back finds it taken.
      expect((await store.acquireLease('leader', 'replica-a', clock.now(), TTL)).holder).toBe('replica-b');
    });

    it('keeps leases of different names apart', async () => {
      const { store, clock } = harness();
      expect((await store.acquireLease('channel:slack:C1', 'a', clock.now(), TTL)).holder).toBe('a');
      expect((await store.acquireLease('channel:slack:C2', 'b', clock.now(), TTL)).holder).toBe('b');
    });

    it('releasing frees it at once; only the holder can release', async () => {
      const { store, clock } = harness();
      await store.acquireLease('leader', 'replica-a', clock.now(), TTL);
      expect(await store.releaseLease('leader', 'replica-b')).toBe(false);
      expect(await store.releaseLease('leader', 'replica-a')).toBe(true);
      expect(await store.getLease('leader')).toBeNull();
      expect((await store.acquireLease('leader', 'replica-b', clock.now(), TTL)).holder).toBe('replica-b');
    });

    it('many instances asking at once: exactly one holds it', async () => {
      const h = harness();
      const others = [h.store, await h.openAnother(), await h.openAnother()];
      const asks = await Promise.all(others.flatMap((s, i) => [0, 1, 2].map((j) => s.acquireLease('leader', `r${i}-${j}`, h.clock.now(), TTL))));
      const holders = new Set(asks.map((l) => l.holder));
      expect(holders.size).toBe(1);
      const winner = [...holders][0];
      expect(asks.filter((l) => l.holder === winner)).toHaveLength(asks.length);
      expect((await h.store.getLease('leader'))?.holder).toBe(winner);
    });

    it('refuses a lease without a positive duration', async () => {
      const { store, clock } = harness();
      await expect(store.acquireLease('leader', 'a', clock.now(), 0)).rejects.toThrow(/positive/);
    });
  });

  describe('monitoring counts', () => {
    it('counts requests by state and the outbox by status, with the oldest due effect', async () => {
      const { store, clock } = harness();
      expect(await store.stats(clock.now())).toEqual({ requestsByState: {}, outbox: { pending: 0, running: 0, dead: 0, oldestWaitingSince: null } });
      const t0 = clock.now().toISOString();
      await store.createRequest(makeRequest(), [], [{ key: 'e1', kind: 'k', payload: {} }]);
      await store.createRequest(makeRequest({ id: 'PR-BBBBB', version: '9', state: 'succeeded' }), [], []);
      clock.advance(1000);
      const later = new Date(clock.now().getTime() + 3_600_000).toISOString();
      await store.enqueueEffects([{ key: 'e2', kind: 'k', payload: {} }, { key: 'future', kind: 'k', payload: {}, notBefore: later }, { key: 'e3', kind: 'k', payload: {} }]);
      const [claimed] = await store.claimEffects(clock.now(), 1, 60_000);
      await store.failEffect(claimed.id, 'boom', null);
      const stats = await store.stats(clock.now());
      expect(stats.requestsByState).toEqual({ awaiting_approval: 1, succeeded: 1 });
      expect(stats.outbox).toEqual({ pending: 3, running: 0, dead: 1, oldestWaitingSince: new Date(Date.parse(t0) + 1000).toISOString() });
    });
  });
}
