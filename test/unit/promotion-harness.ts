/** The promotion service over the fakes and a real SQLite store in memory (not a test file itself). */
import { openStore } from '../../src/adapters/store';
import type { Caller } from '../../src/core/identity';
import { OutboxWorker } from '../../src/core/outbox/worker';
import type { OutboxEffect } from '../../src/core/outbox/types';
import type { AccountLinks, Store } from '../../src/core/ports';
import { promotionEffectHandlers } from '../../src/core/promotion/effects';
import { PromotionService } from '../../src/core/promotion/service';
import type { BotSettings } from '../../src/core/settings';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { FakeDirectory } from '../fakes/directory';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';

export const who = (id: string, displayName: string): Caller => ({ id, platform: 'slack', displayName });
export const rita = who('slack:U0REQ', 'Rita');
export const alice = who('slack:U0ALICE', 'Alice');
export const bob = who('slack:U0BOB', 'Bob');
export const eve = who('slack:U0EVE', 'Eve');
export const admin = who('slack:U0ADMIN', 'Ada');

/** taxi-model v3..v5 in dev; v4 runs in prod (by tag); v5 reached preprod (by tag); v6 regressed and never left dev. */
export function seededRegistry(): FakeRegistry {
  return new FakeRegistry()
    .addVersion('dev', { name: 'taxi-model', version: '3', tags: { 'mlops-env-preprod': '2026-09-01T00:00:00.000Z' } }, { rmse: 0.52, r2: 0.8 })
    .addVersion('dev', { name: 'taxi-model', version: '4', tags: { 'mlops-env-preprod': '2026-10-01T00:00:00.000Z', 'mlops-env-prod': '2026-10-10T00:00:00.000Z' } }, { rmse: 0.5, r2: 0.82 })
    .addVersion('dev', { name: 'taxi-model', version: '5', tags: { 'mlops-env-preprod': '2026-10-30T00:00:00.000Z' } }, { rmse: 0.49, r2: 0.83 })
    .addVersion('dev', { name: 'taxi-model', version: '6', tags: { 'mlops-env-preprod': '2026-10-31T00:00:00.000Z' } }, { rmse: 0.6, r2: 0.7 })
    .addVersion('dev', { name: 'churn-model', version: '1' }, { auc: 0.9 });
}

export async function harness(settings: BotSettings = testSettings(), opts: { store?: (s: Store) => Store; accountLinks?: AccountLinks } = {}) {
  const clock = new FakeClock();
  const raw = await openStore('sqlite::memory:', { clock });
  const store = opts.store ? opts.store(raw) : raw;
  const registry = seededRegistry();
  const directory = new FakeDirectory({ 'slack:U0CAROL': 'carol@contoso.com' });
  const releases = new FakeReleases();
  const chat = new FakeChat();
  const log = new CapturingLogger();
  let n = 0;
  const service = new PromotionService({ store, registry, directory, clock, settings, log, newId: () => `PR-T${++n}` });
  const handlers = promotionEffectHandlers({ service, store, chat, releases, registry, ...(opts.accountLinks ? { accountLinks: opts.accountLinks } : {}) });
  const worker = new OutboxWorker({ store, handlers, clock, log });
  /** Runs every due effect, including those the effects themselves cause. */
  const drain = async () => { for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++); };
  return { clock, store, raw, registry, directory, releases, chat, log, service, handlers, drain, settings };
}

/** Takes every pending effect out of the outbox (to count them); the store is unusable for the worker afterwards. */
export async function pendingEffects(store: Store, now: Date): Promise<OutboxEffect[]> {
  return store.claimEffects(now, 1000, 60_000);
}

export function withPolicy(patch: Record<string, unknown>): BotSettings {
  const s = testSettings();
  return { ...s, environments: s.environments.map((e) => (e.name === 'prod' ? { ...e, approval: { ...e.approval!, ...patch } } : e)) };
}

/** Holds the first `parties` reads (getRequest, or listRequests) until all have read, so their writes race. */
export function racingStore(store: Store, parties: number, read: 'getRequest' | 'listRequests' = 'getRequest') {
  const stats = { armed: false, arrived: 0, conflicts: 0 };
  let release: (() => void)[] = [];
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === read) {
        return async (arg: never) => {
          const r = await (target[read] as (a: never) => Promise<unknown>)(arg);
          if (stats.armed && stats.arrived < parties) {
            stats.arrived++;
            if (stats.arrived === parties) { release.forEach((f) => f()); release = []; } else await new Promise<void>((res) => release.push(res));
          }
          return r;
        };
      }
      if (prop === 'commitTransition') {
        return async (...args: Parameters<Store['commitTransition']>) => {
          const res = await target.commitTransition(...args);
          if (res === 'conflict') stats.conflicts++;
          return res;
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { wrapped, stats };
}
