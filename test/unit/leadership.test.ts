/** One leader among replicas: taking over an expired lease, stepping down without the database, handing over on shutdown. */
import { openStore } from '../../src/adapters/store';
import { createReplicas, POLLER_RUNS_NS } from '../../src/app/replicas';
import { LeaderLease } from '../../src/core/leadership/leader';
import type { Store } from '../../src/core/ports';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';

const TTL = 15_000;

/** A store whose lease calls can be made to fail, as when a replica loses the database. */
function flaky(store: Store): { store: Store; down: (v: boolean) => void } {
  let isDown = false;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'acquireLease' && prop !== 'releaseLease') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        if (isDown) throw new Error('connection terminated');
        return (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { store: wrapped, down: (d) => { isDown = d; } };
}

describe('leader lease', () => {
  let clock: FakeClock;
  let store: Store;
  beforeEach(async () => { clock = new FakeClock(); store = await openStore('sqlite::memory:', { clock }); });
  afterEach(async () => { await store.close(); });

  const replica = (name: string, s: Store = store, changes: boolean[] = []) =>
    new LeaderLease({ store: s, clock, log: new CapturingLogger(), replica: name, ttlMs: TTL, onChange: (l) => changes.push(l) });

  it('one replica leads; the other follows until the leader stops renewing, then takes over within the lease', async () => {
    const aChanges: boolean[] = [];
    const bChanges: boolean[] = [];
    const a = replica('a', store, aChanges);
    const b = replica('b', store, bChanges);
    expect(await a.renew()).toBe(true);
    expect(await b.renew()).toBe(false);
    expect(b.status()).toEqual({ replica: 'b', leader: false, holder: 'a', term: 1, checkedAt: clock.now().toISOString() });
    // a dies (kill -9): no renewal, no release. b keeps asking every renewMs.
    let waited = 0;
    while (!(await b.renew())) { clock.advance(b.renewMs); waited += b.renewMs; }
    expect(waited).toBeLessThanOrEqual(TTL);
    expect(b.status()).toMatchObject({ leader: true, holder: 'b', term: 2 });
    expect(bChanges).toEqual([true]);
    expect(aChanges).toEqual([true]);
    // a's own clock says its lease ran out: it no longer leads even before hearing from the store.
    expect(a.isLeader()).toBe(false);
    expect(await a.renew()).toBe(false);
    expect(aChanges).toEqual([true, false]);
  });

  it('a leader that loses the database stops leading when its lease would expire, and a follower takes over', async () => {
    const cut = flaky(store);
    const changes: boolean[] = [];
    const a = replica('a', cut.store, changes);
    const b = replica('b');
    expect(await a.renew()).toBe(true);
    cut.down(true);
    clock.advance(a.renewMs);
    expect(await a.renew()).toBe(true); // still within its lease
    clock.advance(TTL - a.renewMs);
    expect(await a.renew()).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(await b.renew()).toBe(true);
    cut.down(false);
    expect(await a.renew()).toBe(false);
    expect(a.status()).toMatchObject({ leader: false, holder: 'b' });
  });

  it('resigning hands over at once', async () => {
    const a = replica('a');
    const b = replica('b');
    await a.renew();
    expect(await b.renew()).toBe(false);
    await a.resign();
    expect(a.isLeader()).toBe(false);
    expect(await b.renew()).toBe(true);
  });
});

describe('led background passes', () => {
  it('run on the leader only, and record when they last completed', async () => {
    const clock = new FakeClock();
    const store = await openStore('sqlite::memory:', { clock });
    const runtime = (id: string) => ({ id, leaseTtlMs: TTL, effectLeaseMs: 60_000 });
    const a = createReplicas({ store, clock, log: new CapturingLogger(), shared: true, runtime: runtime('a') });
    const b = createReplicas({ store, clock, log: new CapturingLogger(), shared: true, runtime: runtime('b') });
    try {
      const ran: string[] = [];
      let leads = 0;
      a.start(() => leads++);
      b.start(() => leads++);
      for (let i = 0; i < 100 && leads === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(leads).toBe(1);
      const leader = a.leadership.isLeader() ? a : b;
      const follower = leader === a ? b : a;
      await follower.led('releases', async () => { ran.push(follower.replica); })();
      await leader.led('releases', async () => { ran.push(leader.replica); })();
      expect(ran).toEqual([leader.replica]);
      expect(await store.getDoc(POLLER_RUNS_NS, 'releases')).toEqual({ at: clock.now().toISOString(), replica: leader.replica });
    } finally {
      await a.stop();
      await b.stop();
      await store.close();
    }
  });

  it('with SQLite the one process always leads', async () => {
    const clock = new FakeClock();
    const store = await openStore('sqlite::memory:', { clock });
    const only = createReplicas({ store, clock, log: new CapturingLogger(), shared: false, runtime: { leaseTtlMs: TTL, effectLeaseMs: 60_000 } });
    expect(only.leadership.isLeader()).toBe(true);
    expect(await store.getLease('leader')).toBeNull();
    await store.close();
  });
});
