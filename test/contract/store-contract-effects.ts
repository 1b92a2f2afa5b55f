/** Outbox part of the Store contract: idempotency keys, leases, retries, dead letters. */
import type { EffectDraft } from '../../src/core/outbox/types';
import type { StoreHarness } from '../support/store';
import { makeRequest } from './store-fixtures';

const fx = (key: string, over: Partial<EffectDraft> = {}): EffectDraft => ({ key, kind: 'chat.post', payload: { key }, ...over });
const LEASE = 30_000;

export function effectContract(harness: () => StoreHarness): void {
  describe('outbox effects', () => {
    it('records a key once, whether enqueued alone or inside a transition', async () => {
      const { store, clock } = harness();
      await store.enqueueEffects([fx('a', { payload: { first: true } }), fx('a', { payload: { second: true } })]);
      await store.enqueueEffects([fx('a', { payload: { third: true } })]);
      await store.createRequest(makeRequest(), [], [fx('a', { payload: { fourth: true } }), fx('b')]);
      const a = await store.getEffect('a');
      expect(a).toMatchObject({ key: 'a', kind: 'chat.post', payload: { first: true }, status: 'pending', attempts: 0,
        nextAttemptAt: clock.now().toISOString(), createdAt: clock.now().toISOString() });
      expect(await store.claimEffects(clock.now(), 10, LEASE)).toHaveLength(2);
      expect(await store.getEffect('missing')).toBeNull();
    });

    it('claims only due effects, oldest first, up to the limit', async () => {
      const { store, clock } = harness();
      const later = new Date(clock.now().getTime() + 60_000).toISOString();
      await store.enqueueEffects([fx('later', { notBefore: later }), fx('e1'), fx('e2'), fx('e3')]);
      const longLease = 10 * 60_000;
      const first = await store.claimEffects(clock.now(), 2, longLease);
      expect(first.map((e) => e.key)).toEqual(['e1', 'e2']);
      expect(first[0]).toMatchObject({ status: 'running', attempts: 1 });
      expect((await store.claimEffects(clock.now(), 10, longLease)).map((e) => e.key)).toEqual(['e3']);
      expect(await store.claimEffects(clock.now(), 10, longLease)).toEqual([]);
      clock.advance(60_000);
      const due = await store.claimEffects(clock.now(), 10, longLease);
      expect(due.map((e) => e.key)).toEqual(['later']);
      expect(due[0].notBefore).toBe(later);
    });

    it('claims only effects recorded since a time when asked, leaving older ones pending and untouched', async () => {
      const { store, clock } = harness();
      await store.enqueueEffects([fx('server-post')]);
      clock.advance(1000);
      const since = clock.now();
      await store.enqueueEffects([fx('cli-post')]);
      expect((await store.claimEffects(clock.now(), 10, LEASE, { createdSince: since })).map((e) => e.key)).toEqual(['cli-post']);
      expect(await store.getEffect('server-post')).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await store.claimEffects(clock.now(), 10, LEASE)).map((e) => e.key)).toEqual(['server-post']);
    });

    it('leases a claim: nobody else gets it until the lease expires, then it is claimed again', async () => {
      const { store, clock } = harness();
      await store.enqueueEffects([fx('x')]);
      const [claim] = await store.claimEffects(clock.now(), 10, LEASE);
      clock.advance(LEASE - 1);
      expect(await store.claimEffects(clock.now(), 10, LEASE)).toEqual([]);
      clock.advance(1);
      const [again] = await store.claimEffects(clock.now(), 10, LEASE);
      expect(again).toMatchObject({ id: claim.id, status: 'running', attempts: 2 });
    });

    it('completes an effect with its result; it is never claimed again and a late failure changes nothing', async () => {
      const { store, clock } = harness();
      await store.enqueueEffects([fx('x')]);
      const [claim] = await store.claimEffects(clock.now(), 10, LEASE);
      await store.completeEffect(claim.id, { messageId: '123.456' });
      await store.failEffect(claim.id, 'late report', null);
      clock.advance(10 * LEASE);
      expect(await store.claimEffects(clock.now(), 10, LEASE)).toEqual([]);
      const done = await store.getEffect('x');
      expect(done).toMatchObject({ status: 'done', result: { messageId: '123.456' }, attempts: 1 });
      expect(done?.lastError).toBeUndefined();
    });

    it('reschedules a failed effect and marks it dead when told to', async () => {
      const { store, clock } = harness();
      await store.enqueueEffects([fx('x')]);
      const [claim] = await store.claimEffects(clock.now(), 10, LEASE);
      const retryAt = new Date(clock.now().getTime() + 5_000);
      await store.failEffect(claim.id, 'upstream 503', retryAt);
      expect(await store.getEffect('x')).toMatchObject({ status: 'pending', lastError: 'upstream 503', nextAttemptAt: retryAt.toISOString(), attempts: 1 });
      clock.advance(4_999);
      expect(await store.claimEffects(clock.now(), 10, LEASE)).toEqual([]);
      clock.advance(1);
      const [second] = await store.claimEffects(clock.now(), 10, LEASE);
      expect(second.attempts).toBe(2);
      await store.failEffect(second.id, 'gave up', null);
      expect(await store.getEffect('x')).toMatchObject({ status: 'dead', lastError: 'gave up' });
      clock.advance(24 * 3_600_000);
      expect(await store.claimEffects(clock.now(), 10, LEASE)).toEqual([]);
    });

    it('never hands the same effect to two concurrent claimers', async () => {
      const { store, clock, openAnother } = harness();
      const other = await openAnother();
      await store.enqueueEffects(Array.from({ length: 12 }, (_, i) => fx(`c${i}`)));
      const batches = await Promise.all([store, other, store, other].map((s) => s.claimEffects(clock.now(), 5, LEASE)));
      const ids = batches.flat().map((e) => e.id);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    });
  });
}
