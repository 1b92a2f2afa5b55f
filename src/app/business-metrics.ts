/**
 * Business figures for Prometheus beside the HTTP ones (DESIGN §9.9): promotions by state, outbox
 * depth and the age of its oldest waiting effect, chat deliveries and 429s per platform, how long
 * ago each leader-only poller last completed, and whether this replica leads. Store figures are
 * read at scrape time, so every replica reports the fleet's queue, not only its own.
 */
import type { Clock, Store } from '../core/ports';
import type { Metrics } from '../http';
import type { ChatRouter } from './chat-router';
import { POLLER_RUNS_NS, type PollerRun, type Replicas } from './replicas';

const STATUSES = ['pending', 'running', 'dead'] as const;

export function registerBusinessMetrics(metrics: Metrics, deps: { store: Store; clock: Clock; chat: ChatRouter; replicas: Replicas }): void {
  const { store, clock, replicas } = deps;
  const deliveries = metrics.counter('mlops_chat_deliveries_total', 'Chat posts and edits by platform and outcome (throttled = the platform answered 429).', ['platform', 'op', 'outcome']);
  const throttled = metrics.counter('mlops_chat_throttled_total', 'Chat calls the platform rate-limited (HTTP 429), by platform.', ['platform']);
  deps.chat.observe((platform, op, outcome) => {
    deliveries.inc({ platform, op, outcome });
    if (outcome === 'throttled') throttled.inc({ platform });
  });

  const promotions = metrics.gauge('mlops_promotions', 'Promotion requests by state.', ['state']);
  const outbox = metrics.gauge('mlops_outbox_effects', 'Outbox effects not done, by status (dead ones need a person).', ['status']);
  const oldest = metrics.gauge('mlops_outbox_oldest_waiting_seconds', 'Age of the oldest due effect not yet done (0 when none waits).');
  const lag = metrics.gauge('mlops_poller_lag_seconds', 'Seconds since a leader-only background pass last completed, by pass.', ['poller']);
  const leader = metrics.gauge('mlops_leader', '1 when this replica leads the pollers and timers, 0 otherwise.', ['replica']);
  const seenStates = new Set<string>();

  metrics.addCollector(() => leader.set({ replica: replicas.replica }, replicas.leadership.isLeader() ? 1 : 0));
  metrics.addCollector(async () => {
    const now = clock.now();
    const stats = await store.stats(now);
    // A state that emptied reads 0 rather than keeping its last count.
    for (const s of Object.keys(stats.requestsByState)) seenStates.add(s);
    for (const s of seenStates) promotions.set({ state: s }, stats.requestsByState[s] ?? 0);
    for (const s of STATUSES) outbox.set({ status: s }, stats.outbox[s]);
    oldest.set({}, stats.outbox.oldestWaitingSince ? Math.max(0, (now.getTime() - Date.parse(stats.outbox.oldestWaitingSince)) / 1000) : 0);
  });
  metrics.addCollector(async () => {
    const now = clock.now().getTime();
    for (const { key, value } of await store.listDocs<PollerRun>(POLLER_RUNS_NS)) lag.set({ poller: key }, Math.max(0, (now - Date.parse(value.at)) / 1000));
  });
}
