/**
 * Replicas on one database (DESIGN §9.9): every replica serves requests and runs the outbox, while
 * pollers and timers run only on the leader. `led()` wraps a background pass so it runs only while
 * this replica leads, and records when it last completed (the poller lag in `/metrics`, read from
 * the store so any replica can report it). With SQLite there is one process and it always leads.
 */
import { hostname } from 'node:os';
import type { ReplicaRuntime } from '../config';
import { LeaderLease, soleLeader, type Leadership } from '../core/leadership/leader';
import type { Clock, Logger, Store } from '../core/ports';
import { every, type Loop } from './background';

export const POLLER_RUNS_NS = 'poller-runs';

export interface PollerRun { at: string; replica: string }

export interface Replicas {
  replica: string;
  leadership: Leadership;
  /** The background pass `run`, done only while this replica leads. */
  led(name: string, run: () => Promise<unknown>): () => Promise<void>;
  /** Starts renewing the lease (no-op for a sole leader); `onLead` runs whenever this replica becomes leader. */
  start(onLead: () => void): void;
  /** Stops renewing and hands leadership over at once. */
  stop(): Promise<void>;
}

export function defaultReplicaId(): string {
  return `${hostname()}-${process.pid}`;
}

export function createReplicas(input: { store: Store; clock: Clock; log: Logger; shared: boolean; runtime: ReplicaRuntime }): Replicas {
  const { store, clock } = input;
  const replica = input.runtime.id ?? defaultReplicaId();
  const log = input.log.child({ component: 'leadership', replica });
  let onLead: () => void = () => undefined;
  const lease = input.shared
    ? new LeaderLease({ store, clock, log, replica, ttlMs: input.runtime.leaseTtlMs, onChange: (leading) => { if (leading) onLead(); } })
    : undefined;
  const leadership = lease ?? soleLeader(replica);
  let renewal: Loop | undefined;

  return {
    replica,
    leadership,
    led: (name, run) => async () => {
      if (!leadership.isLeader()) return;
      await run();
      await store.putDoc<PollerRun>(POLLER_RUNS_NS, name, { at: clock.now().toISOString(), replica });
    },
    start(cb) {
      onLead = cb;
      if (lease && !renewal) renewal = every('leader-lease', lease.renewMs, () => lease.renew(), log);
    },
    async stop() {
      await renewal?.stop();
      renewal = undefined;
      await lease?.resign();
    },
  };
}
