/**
 * One Azure ML run's outcome has one key, whoever reports it: Event Grid (whose event ids are
 * random per publication) and the job poller build the same `run-failed:<workspace>:<run id>`, so
 * a channel hears about a failure once however many intakes see it.
 */
import type { WorkspaceRef } from '../settings';
import type { EventKind } from './event';

const OUTCOME: Partial<Record<EventKind, string>> = { run_failed: 'failed', run_succeeded: 'succeeded', run_canceled: 'canceled' };

/** `status` tells a stuck job (NotResponding, also a run_failed) from one that ended failed. */
export function runOutcomeKey(ws: WorkspaceRef, runId: string, kind: EventKind, status?: string): string | undefined {
  const outcome = status?.trim().toLowerCase() === 'notresponding' ? 'not-responding' : OUTCOME[kind];
  if (!outcome || !runId) return undefined;
  const where = [ws.subscriptionId, ws.resourceGroup, ws.name].map((p) => p.toLowerCase()).join('/');
  return `run-${outcome}:${where}:${runId}`;
}
