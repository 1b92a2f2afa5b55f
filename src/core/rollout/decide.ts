/**
 * The decision before each step, as pure functions (DESIGN 9.4): the rollout goes on only if the
 * canary's error rate (5xx / requests) is at most `maxErrorRate` and its p95 latency is at most the
 * baseline's × (1 + `maxLatencyIncrease`). Missing figures decide nothing (wait); a deployment that
 * is gone stops the rollout.
 */
import type { DeploymentLiveFigures } from '../ports';
import { msText, pctText } from './figures-text';
import type { CheckFigures, CheckVerdict, RolloutThresholds } from './types';

export interface CheckInput {
  canary: string;
  baseline: string;
  thresholds: RolloutThresholds;
  figures: readonly DeploymentLiveFigures[];
  /** Deployments the endpoint has now (null when the endpoint itself is gone). */
  deployments: readonly string[] | null;
  /** The endpoint's live split now and the canary's share the rollout set, when known. */
  traffic?: { now: Record<string, number>; canaryPercent: number };
}

export interface CheckDecision {
  verdict: Exclude<CheckVerdict, 'held'>;
  canary: CheckFigures;
  baseline: CheckFigures;
  reasons: string[];
}

const EMPTY: CheckFigures = { requests: null, errors5xx: null, errorRate: null, latencyP95Ms: null };

export function toCheckFigures(f: DeploymentLiveFigures | undefined): CheckFigures {
  if (!f) return EMPTY;
  const usable = (n: number | null): number | null => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null);
  const requests = usable(f.requests);
  const errors5xx = usable(f.errors5xx);
  const errorRate = requests !== null && requests > 0 && errors5xx !== null ? Math.min(1, errors5xx / requests) : null;
  return { requests, errors5xx, errorRate, latencyP95Ms: usable(f.latencyP95Ms) };
}

const find = (figures: readonly DeploymentLiveFigures[], name: string) =>
  figures.find((f) => f.deployment.toLowerCase() === name.toLowerCase());

/** The highest canary p95 the thresholds allow against a baseline p95. */
export function latencyLimit(baselineP95Ms: number, t: RolloutThresholds): number {
  return baselineP95Ms * (1 + t.maxLatencyIncrease);
}

export function decideCheck(input: CheckInput): CheckDecision {
  const canary = toCheckFigures(find(input.figures, input.canary));
  const baseline = toCheckFigures(find(input.figures, input.baseline));
  const gone = goneReasons(input);
  if (gone.length > 0) return { verdict: 'gone', canary, baseline, reasons: gone };
  const moved = movedReason(input);
  if (moved) return { verdict: 'changed', canary, baseline, reasons: [moved] };
  const t = input.thresholds;
  const breaches: string[] = [];
  const missing: string[] = [];
  if (canary.requests === null || canary.requests === 0) {
    missing.push(`no requests of canary ${input.canary} were counted`);
  } else if (canary.errorRate === null) {
    missing.push(`no 5xx count of canary ${input.canary}`);
  } else if (canary.errorRate > t.maxErrorRate) {
    breaches.push(`error rate of ${input.canary} ${pctText(canary.errorRate)} (${canary.errors5xx} of ${canary.requests} requests answered 5xx) is above the ${pctText(t.maxErrorRate)} allowed`);
  }
  if (canary.latencyP95Ms === null) {
    if (canary.requests) missing.push(`no p95 latency of canary ${input.canary}`);
  } else if (baseline.latencyP95Ms === null) {
    missing.push(`no p95 latency of baseline ${input.baseline} to compare with`);
  } else if (canary.latencyP95Ms > latencyLimit(baseline.latencyP95Ms, t)) {
    breaches.push(`p95 latency of ${input.canary} ${msText(canary.latencyP95Ms)} is above ${msText(latencyLimit(baseline.latencyP95Ms, t))} (baseline ${input.baseline} ${msText(baseline.latencyP95Ms)} + ${pctText(t.maxLatencyIncrease)})`);
  }
  // A breach found on the figures there are decides even when others are missing.
  if (breaches.length > 0) return { verdict: 'breach', canary, baseline, reasons: breaches };
  if (missing.length > 0) return { verdict: 'no_data', canary, baseline, reasons: missing };
  return { verdict: 'pass', canary, baseline, reasons: [] };
}

function goneReasons(input: CheckInput): string[] {
  if (input.deployments === null) return ['the endpoint is gone'];
  const has = (name: string) => input.deployments!.some((d) => d.toLowerCase() === name.toLowerCase());
  return [input.canary, input.baseline].filter((d) => !has(d)).map((d) => `deployment ${d} is gone from the endpoint`);
}

/** Someone changed the split by hand (a rollback, a traffic change): the rollout must not go on over it. */
function movedReason(input: CheckInput): string | undefined {
  if (!input.traffic) return undefined;
  const share = Object.entries(input.traffic.now).find(([d]) => d.toLowerCase() === input.canary.toLowerCase())?.[1] ?? 0;
  if (share === input.traffic.canaryPercent) return undefined;
  const split = Object.entries(input.traffic.now).map(([d, p]) => `${d} ${p}%`).join(', ');
  return `the traffic was changed outside this rollout (now ${split}; the rollout set ${input.canary} to ${input.traffic.canaryPercent}%)`;
}
