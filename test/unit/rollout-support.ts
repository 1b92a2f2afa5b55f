/**
 * A rollout rig for unit tests: a real SQLite store in memory, the real engine, service, driver and
 * effect handlers run by the real outbox worker, over an in-memory Serving and a fake LiveMetrics.
 */
import type { Caller } from '../../src/core/identity';
import { OutboxWorker } from '../../src/core/outbox/worker';
import type { ChartRenderer, Store } from '../../src/core/ports';
import { checkDueRollouts } from '../../src/core/rollout/driver';
import { rolloutEffectHandlers } from '../../src/core/rollout/effects';
import { RolloutEngine } from '../../src/core/rollout/engine';
import { RolloutService } from '../../src/core/rollout/service';
import type { Rollout } from '../../src/core/rollout/types';
import type { BotSettings } from '../../src/core/settings';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { FakeDirectory } from '../fakes/directory';
import { FakeLiveMetrics } from '../fakes/live-metrics';
import { CapturingLogger } from '../fakes/logger';
import { FakeServing } from '../fakes/serving';
import { testSettings } from '../fakes/settings';
import { memoryStore } from '../support/store';

export const alice: Caller = { id: 'slack:U0ALICE', platform: 'slack', displayName: 'Alice' };
export const carol: Caller = { id: 'slack:U0CAROL', platform: 'slack', displayName: 'Carol' };

export function rolloutSettings(): BotSettings {
  return testSettings({
    models: [{ match: 'taxi-*', index: 1, serving: { kind: 'online', endpoint: 'taxi-online' }, rollout: { steps: [10, 50, 100], everyMs: 30_000, maxErrorRate: 0.01, maxLatencyIncrease: 0.25 } }],
  });
}

export interface RolloutRig {
  clock: FakeClock; store: Store; serving: FakeServing; metrics: FakeLiveMetrics; chat: FakeChat; log: CapturingLogger;
  engine: RolloutEngine; service: RolloutService; worker: OutboxWorker;
  /** Runs due effects until none is left. */
  drain(): Promise<void>;
  /** One pass of the leader's timer, then the effects it recorded. */
  tick(ms?: number): Promise<void>;
  get(id: string): Promise<Rollout>;
  /** Healthy figures for both deployments. */
  healthy(): void;
}

export async function rolloutRig(settings = rolloutSettings(), opts: { charts?: ChartRenderer } = {}): Promise<RolloutRig> {
  const clock = new FakeClock('2026-12-05T10:00:00.000Z');
  const store = await memoryStore(clock);
  const serving = new FakeServing();
  serving.addEndpoint('prod', 'taxi-online', [
    { name: 'blue', model: 'taxi-model', version: '3', traffic: 100 },
    { name: 'green', model: 'taxi-model', version: '5', traffic: 0 },
  ]);
  const metrics = new FakeLiveMetrics();
  const chat = new FakeChat();
  const log = new CapturingLogger();
  const engine = new RolloutEngine({ store, settings, clock, log });
  const service = new RolloutService({ engine, serving, directory: new FakeDirectory() });
  const worker = new OutboxWorker({ store, handlers: rolloutEffectHandlers({ engine, serving, chat, ...(opts.charts ? { charts: opts.charts } : {}) }), clock, log, backoff: { baseMs: 1, maxMs: 1, factor: 1 } });
  const drain = async () => { for (let i = 0; i < 30 && (await worker.runOnce()) > 0; i++) clock.advance(5); };
  return {
    clock, store, serving, metrics, chat, log, engine, service, worker, drain,
    async tick(ms = 0) {
      clock.advance(ms);
      await checkDueRollouts({ engine, serving, liveMetrics: metrics });
      await drain();
    },
    get: async (id) => (await store.getRollout(id))!,
    healthy() {
      metrics.set('green', { requests: 300, errors5xx: 0, latencyP95Ms: 110 });
      metrics.set('blue', { requests: 2700, errors5xx: 3, latencyP95Ms: 100 });
    },
  };
}
