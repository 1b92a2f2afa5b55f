/**
 * Synthetic live load of the emulator's online endpoints, a pure function of the endpoint, the
 * time window and the traffic history, so the same question always gets the same answer: about
 * 10 requests a second per endpoint (±20% per minute), shared by the live split, copied to
 * mirrored deployments; 5xx and p95 latency per deployment from the tags of the model version it
 * serves (`emulator.errorRate: 0.08`, `emulator.latencyMs: 400`; tags on the deployment win),
 * otherwise 0.1% errors and about 80 ms.
 */
import { servedBy } from './serving-sim';
import { splitsOver } from './serving-history';
import type { EmulatorState, WorkspaceState } from './state';
import { workspaceKey } from './state';

const RATE_PER_SECOND = 10;
const DEFAULT_ERROR_RATE = 0.001;
const DEFAULT_LATENCY_MS = 80;

export interface DeploymentLoad {
  requests: number;
  by: { '2xx': number; '4xx': number; '5xx': number };
  /** p95 latency of the bucket in ms; null when the deployment had no request. */
  latencyP95: number | null;
}

/** FNV-1a of a string as a number in [0, 1): deterministic jitter. */
export function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 0x100000000;
}

interface Behaviour { errorRate: number; latencyMs: number }

function tagNumber(tags: Record<string, string> | undefined, key: string, min: number, max: number): number | undefined {
  const n = Number(tags?.[key]);
  return tags?.[key] !== undefined && Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** How a deployment behaves: its own tags, then those of the model version it serves. */
export function behaviourOf(state: EmulatorState, ws: WorkspaceState, endpoint: string, deployment: string): Behaviour {
  const rec = ws.onlineDeployments?.[endpoint]?.[deployment];
  const served = servedBy(rec, 'online');
  const id = typeof rec?.properties['model'] === 'string' ? rec.properties['model'] : '';
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\//i.exec(id);
  const home = m ? state.workspaces[workspaceKey(m[1], m[2])] : undefined;
  const versionTags = served ? (home?.models[served.model]?.versions[served.version]?.properties['tags'] as Record<string, string> | undefined) : undefined;
  const pick = (key: string, min: number, max: number) => tagNumber(rec?.tags, key, min, max) ?? tagNumber(versionTags, key, min, max);
  return { errorRate: pick('emulator.errorRate', 0, 1) ?? DEFAULT_ERROR_RATE, latencyMs: pick('emulator.latencyMs', 1, 600_000) ?? DEFAULT_LATENCY_MS };
}

/** Load of every deployment over [from, to) (one metrics bucket, already clipped to what has happened). */
export function loadOver(state: EmulatorState, ws: WorkspaceState, endpoint: string, from: number, to: number): Map<string, DeploymentLoad> {
  const deployments = ws.onlineDeployments?.[endpoint] ?? {};
  const expected = new Map<string, number>();
  for (const seg of splitsOver(ws, endpoint, from, to)) {
    // Rate jitter per minute of the segment start: stable for a given history and window.
    const rate = RATE_PER_SECOND * (0.8 + 0.4 * unit(`${endpoint}|${Math.floor(seg.from / 60_000)}`));
    const seconds = (seg.to - seg.from) / 1000;
    for (const [d, pct] of [...Object.entries(seg.traffic), ...Object.entries(seg.mirror)]) {
      if (deployments[d]?.properties['provisioningState'] !== 'Succeeded') continue;
      expected.set(d, (expected.get(d) ?? 0) + rate * seconds * (pct / 100));
    }
  }
  const out = new Map<string, DeploymentLoad>();
  for (const [d, n] of expected) {
    const requests = Math.round(n);
    if (requests <= 0) continue;
    const b = behaviourOf(state, ws, endpoint, d);
    const errors = Math.min(requests, Math.round(requests * b.errorRate));
    const clientErrors = Math.min(requests - errors, Math.floor(requests * 0.005));
    const latencyP95 = Math.round(b.latencyMs * (0.95 + 0.1 * unit(`${endpoint}|${d}|${from}`)) * 10) / 10;
    out.set(d, { requests, by: { '2xx': requests - errors - clientErrors, '4xx': clientErrors, '5xx': errors }, latencyP95 });
  }
  return out;
}
