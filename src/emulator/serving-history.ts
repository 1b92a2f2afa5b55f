/**
 * When each online endpoint's traffic split changed, so the metrics simulation gives every moment
 * the split that was live then (a canary at 10% since 12:00:20 gets requests from 12:00:20 on).
 * Before the first recorded change the split stored on the endpoint counts as having always held.
 */
import type { TrafficChange, WorkspaceState } from './state';

/** Older changes are dropped beyond this (the simulation only looks back over hours). */
const KEEP = 200;

type Split = Record<string, number>;

const numbers = (value: unknown): Split => Object.fromEntries(
  Object.entries((typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' && v > 0).map(([k, v]) => [k, v as number]),
);

/** Call before an endpoint's `traffic`/`mirrorTraffic` is replaced: remembers what held until `at`. */
export function recordTrafficChange(ws: WorkspaceState, endpoint: string, at: number, before: Record<string, unknown> | undefined, after: Record<string, unknown>): void {
  const history = (ws.trafficHistory ??= {});
  const list = (history[endpoint] ??= []);
  if (list.length === 0 && before) list.push({ at: 0, traffic: numbers(before['traffic']), mirror: numbers(before['mirrorTraffic']) });
  const change: TrafficChange = { at, traffic: numbers(after['traffic']), mirror: numbers(after['mirrorTraffic']) };
  const last = list[list.length - 1];
  if (last && JSON.stringify([last.traffic, last.mirror]) === JSON.stringify([change.traffic, change.mirror])) return;
  list.push(change);
  if (list.length > KEEP) list.splice(0, list.length - KEEP);
}

/** The splits that held over [from, to), as consecutive segments. */
export function splitsOver(ws: WorkspaceState, endpoint: string, from: number, to: number): { from: number; to: number; traffic: Split; mirror: Split }[] {
  const current = ws.onlineEndpoints[endpoint]?.properties ?? {};
  const list = ws.trafficHistory?.[endpoint] ?? [];
  const changes: TrafficChange[] = list.length ? list : [{ at: 0, traffic: numbers(current['traffic']), mirror: numbers(current['mirrorTraffic']) }];
  const out: { from: number; to: number; traffic: Split; mirror: Split }[] = [];
  changes.forEach((c, i) => {
    const start = Math.max(from, c.at);
    const end = Math.min(to, changes[i + 1]?.at ?? Number.POSITIVE_INFINITY);
    if (end > start) out.push({ from: start, to: end, traffic: c.traffic, mirror: c.mirror });
  });
  return out;
}
