import type { Store } from '../../src/core/ports';

/**
 * A store as a process sees it in the instant before kill -9: it hands out the effects of one kind,
 * and every write after that throws `killed`, so nothing the effect did is recorded.
 */
export function storeDyingAfterClaim(store: Store, kind: string, killed: Error): Store {
  return Object.create(store, {
    claimEffects: { value: async (at: Date, limit: number, lease: number) => (await store.claimEffects(at, limit, lease)).filter((e) => e.kind === kind) },
    commitTransition: { value: async () => { throw killed; } },
    completeEffect: { value: async () => { throw killed; } },
    failEffect: { value: async () => { throw killed; } },
  });
}
