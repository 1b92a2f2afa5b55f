import type { Store } from '../../src/core/ports';
import type { OutboxEffect } from '../../src/core/outbox/types';
import { OutboxWorker, type EffectHandler, type OutboxWorkerOptions } from '../../src/core/outbox/worker';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { memoryStore } from '../support/store';

/** An upstream that remembers which idempotency keys it already acted on (like a release tagged with the request id). */
class ExternalSystem {
  readonly applied: { key: string; payload: unknown }[] = [];
  private readonly byKey = new Map<string, { releaseId: number }>();
  find(key: string) { return this.byKey.get(key); }
  apply(key: string, payload: unknown) {
    this.applied.push({ key, payload });
    const out = { releaseId: 100 + this.applied.length };
    this.byKey.set(key, out);
    return out;
  }
}

const LEASE = 30_000;
let clock: FakeClock;
let store: Store;
let log: CapturingLogger;
let external: ExternalSystem;

beforeEach(async () => {
  clock = new FakeClock();
  store = await memoryStore(clock);
  log = new CapturingLogger();
  external = new ExternalSystem();
});
afterEach(async () => { await store.close(); });

const worker = (handlers: Record<string, EffectHandler>, over: Partial<OutboxWorkerOptions> = {}) =>
  new OutboxWorker({ store, handlers, clock, log, leaseMs: LEASE, maxAttempts: 4, backoff: { baseMs: 1000, maxMs: 60_000 }, ...over });

/** Checks upstream for the key first, so a replay finds the earlier effect instead of repeating it. */
const idempotentStart: EffectHandler = async (effect, ctx) => external.find(ctx.key) ?? external.apply(ctx.key, effect.payload);

describe('OutboxWorker', () => {
  it('runs a due effect with its key and records the result', async () => {
    const seen: { key: string; attempt: number }[] = [];
    await store.enqueueEffects([{ key: 'release:PR-1', kind: 'release.start', payload: { model: 'taxi' } }]);
    const w = worker({ 'release.start': async (e, ctx) => { seen.push({ key: ctx.key, attempt: ctx.attempt }); return idempotentStart(e, ctx); } });
    expect(await w.runOnce()).toBe(1);
    expect(seen).toEqual([{ key: 'release:PR-1', attempt: 1 }]);
    expect(await store.getEffect('release:PR-1')).toMatchObject({ status: 'done', result: { releaseId: 101 } });
    expect(await w.runOnce()).toBe(0);
  });

  it('runs an effect enqueued twice under the same key once', async () => {
    await store.enqueueEffects([{ key: 'k', kind: 'release.start', payload: { n: 1 } }]);
    await store.enqueueEffects([{ key: 'k', kind: 'release.start', payload: { n: 2 } }]);
    const naive: EffectHandler = async (e, ctx) => external.apply(ctx.key, e.payload);
    await worker({ 'release.start': naive }).runOnce();
    clock.advance(10 * LEASE);
    await worker({ 'release.start': naive }).runOnce();
    expect(external.applied).toEqual([{ key: 'k', payload: { n: 1 } }]);
  });

  describe('a worker killed between the external call and completeEffect', () => {
    async function crashThenRecover(handler: EffectHandler): Promise<OutboxEffect | null> {
      await store.enqueueEffects([{ key: 'release:PR-9', kind: 'release.start', payload: { model: 'taxi' } }]);
      let reachedUpstream!: () => void;
      const upstreamDone = new Promise<void>((r) => { reachedUpstream = r; });
      // The first worker performs the effect, then never gets to record it: the process is gone.
      const dying = worker({ 'release.start': async (e, ctx) => { await handler(e, ctx); reachedUpstream(); return new Promise(() => undefined); } });
      void dying.runOnce();
      await upstreamDone;
      expect(await store.getEffect('release:PR-9')).toMatchObject({ status: 'running' });

      const survivor = worker({ 'release.start': handler });
      expect(await survivor.runOnce()).toBe(0); // the lease still protects the effect
      clock.advance(LEASE);
      expect(await survivor.runOnce()).toBe(1);
      return store.getEffect('release:PR-9');
    }

    it('replays the effect (at-least-once): a handler that ignores the key acts twice', async () => {
      await crashThenRecover(async (e, ctx) => external.apply(ctx.key, e.payload));
      expect(external.applied).toHaveLength(2);
    });

    it('yields exactly one external effect when the handler checks the idempotency key', async () => {
      const effect = await crashThenRecover(idempotentStart);
      expect(external.applied).toEqual([{ key: 'release:PR-9', payload: { model: 'taxi' } }]);
      expect(effect).toMatchObject({ status: 'done', attempts: 2, result: { releaseId: 101 } });
    });
  });

  it('retries with exponential backoff, then succeeds', async () => {
    let calls = 0;
    await store.enqueueEffects([{ key: 'flaky', kind: 'chat.post', payload: {} }]);
    const w = worker({ 'chat.post': async () => { calls += 1; if (calls < 3) throw new Error(`HTTP 503 #${calls}`); return { ok: true }; } });
    const start = clock.now().getTime();

    await w.runOnce();
    expect(await store.getEffect('flaky')).toMatchObject({ status: 'pending', lastError: 'HTTP 503 #1', nextAttemptAt: new Date(start + 1000).toISOString() });
    clock.advance(999);
    expect(await w.runOnce()).toBe(0);
    clock.advance(1);
    await w.runOnce();
    expect(await store.getEffect('flaky')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(start + 1000 + 2000).toISOString() });
    clock.advance(2000);
    await w.runOnce();
    expect(await store.getEffect('flaky')).toMatchObject({ status: 'done', attempts: 3, result: { ok: true } });
    expect(log.lines.filter((l) => l.level === 'warn' && l.msg?.includes('will retry'))).toHaveLength(2);
  });

  it('waits as long as the upstream asked with retryAfterMs', async () => {
    await store.enqueueEffects([{ key: 'throttled', kind: 'chat.post', payload: {} }]);
    const err = Object.assign(new Error('429 Too Many Requests'), { retryAfterMs: 42_000 });
    await worker({ 'chat.post': async () => { throw err; } }).runOnce();
    expect((await store.getEffect('throttled'))?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 42_000).toISOString());
  });

  it('marks an effect dead after maxAttempts and logs it', async () => {
    await store.enqueueEffects([{ key: 'doomed', kind: 'chat.post', payload: {} }]);
    const w = worker({ 'chat.post': async () => { throw new Error('channel_not_found'); } }, { maxAttempts: 3 });
    for (let i = 0; i < 5; i++) { await w.runOnce(); clock.advance(60_000); }
    expect(await store.getEffect('doomed')).toMatchObject({ status: 'dead', attempts: 3, lastError: 'channel_not_found' });
    const dead = log.lines.filter((l) => l.level === 'error');
    expect(dead).toHaveLength(1);
    expect(dead[0].bindings).toMatchObject({ effectKey: 'doomed', effectKind: 'chat.post' });
  });

  it('marks an effect of an unknown kind dead with a clear error', async () => {
    await store.enqueueEffects([{ key: 'odd', kind: 'teleport', payload: {} }, { key: 'proto', kind: 'constructor', payload: {} }]);
    await worker({}).runOnce();
    expect(await store.getEffect('odd')).toMatchObject({ status: 'dead', lastError: 'no handler for effect kind "teleport"' });
    expect(await store.getEffect('proto')).toMatchObject({ status: 'dead' });
  });
});

describe('a batch that outlives half its claim', () => {
  it('leaves the rest for the next claim instead of starting effects another replica may take', async () => {
    const ran: string[] = [];
    const slow: EffectHandler = async (effect) => { ran.push(effect.key); clock.advance(LEASE / 2 + 1); return {}; };
    await store.enqueueEffects([{ key: 'a', kind: 'slow', payload: {} }, { key: 'b', kind: 'slow', payload: {} }]);
    const mine = worker({ slow });
    const other = worker({ slow });
    expect(await mine.runOnce()).toBe(2);
    expect(ran).toEqual(['a']);
    expect(await other.runOnce()).toBe(0); // b's claim has not expired yet
    clock.advance(LEASE);
    expect(await other.runOnce()).toBe(1);
    expect(ran).toEqual(['a', 'b']);
    expect((await store.getEffect('b'))?.status).toBe('done');
  });
});
