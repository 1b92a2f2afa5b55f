/**
 * Effects the outbox gave up on, per kind, on `/metrics` (`mlops_outbox_dead_effects_total`). The
 * dead ones still waiting for a person are `mlops_outbox_effects{status="dead"}`, read from the
 * store at scrape time (business-metrics.ts), so they stay counted across restarts.
 */
import type { Metrics } from '../http/metrics';

export type DeadCounter = (kind: string) => void;

export function deadEffectsCounter(metrics: Metrics | undefined): DeadCounter {
  if (!metrics) return () => undefined;
  const givenUp = metrics.counter('mlops_outbox_dead_effects_total', 'Outbox effects given up after retrying until their deadline, by kind.', ['kind']);
  return (kind) => givenUp.inc({ kind });
}
