/**
 * A progressive rollout (DESIGN 9.4): traffic of an online endpoint moves step by step from the
 * deployment that serves (the baseline) to the one holding the new version (the canary), each step
 * only after the canary's live figures stayed within the thresholds. Stored as one row with a
 * revision, so every change is a compare-and-set and a step is decided once.
 */

export type RolloutStatus = 'running' | 'paused' | 'succeeded' | 'rolled_back' | 'aborted' | 'failed';

/** Statuses in which a rollout owns its endpoint's traffic: one such rollout per endpoint. */
export const ACTIVE_ROLLOUT_STATUSES: readonly RolloutStatus[] = ['running', 'paused'];

export const isActive = (r: Pick<Rollout, 'status'>): boolean => ACTIVE_ROLLOUT_STATUSES.includes(r.status);

export interface RolloutThresholds {
  /** Highest canary error rate (5xx / requests) that lets the rollout go on, e.g. 0.01. */
  maxErrorRate: number;
  /** Highest relative p95 increase of the canary over the baseline, e.g. 0.25. */
  maxLatencyIncrease: number;
}

/** One deployment's figures over a check window; null where Azure Monitor had none. */
export interface CheckFigures {
  requests: number | null;
  errors5xx: number | null;
  errorRate: number | null;
  latencyP95Ms: number | null;
}

export type CheckVerdict = 'pass' | 'breach' | 'no_data' | 'gone' | 'changed' | 'held';

/** A check before a step: what was read, and what it decided (kept for the card and its chart). */
export interface RolloutCheck {
  at: string;
  /** The canary's share of traffic during the window. */
  percent: number;
  windowFrom: string;
  canary: CheckFigures;
  baseline: CheckFigures;
  verdict: CheckVerdict;
  /** In words: which figure broke which threshold, or why there was nothing to judge. */
  reasons: string[];
}

export interface RolloutActor { id: string; name: string }

export interface Rollout {
  id: string;
  revision: number;
  status: RolloutStatus;
  model: string;
  /** The canary's version. */
  version: string;
  env: string;
  endpoint: string;
  canary: string;
  baseline: string;
  baselineVersion?: string;
  /** Canary traffic per step, ascending, ending at 100. */
  steps: number[];
  /** The step applied, or being applied while `phase` is `shifting`. */
  stepIndex: number;
  phase: 'shifting' | 'watching';
  /** Times a step's traffic change was asked for again after it failed (part of its effect key). */
  stepTries: number;
  everyMs: number;
  thresholds: RolloutThresholds;
  /** Where the thresholds and steps came from, in words. */
  policySource: string;
  /** Traffic of the endpoint's other deployments (kept as they were). */
  others: Record<string, number>;
  stepAppliedAt?: string;
  nextCheckAt?: string;
  /** Checks in a row that had nothing to judge. */
  emptyChecks: number;
  checks: RolloutCheck[];
  requester: RolloutActor;
  /** Where it was started: its card goes there. */
  channel?: string;
  createdAt: string;
  updatedAt: string;
  /** Why it waits for a person (paused by someone, no figures, a failed traffic change). */
  pauseReason?: string;
  /** The final line of the card. */
  outcome?: string;
  /** Putting the canary back to 0% after a breach or an abort. */
  back?: { state: 'pending' | 'done' | 'failed'; error?: string };
  /** Times setting the canary back was asked for again after it failed (part of its effect key). */
  backTries?: number;
  /** A note the card shows while the rollout holds (a freeze). */
  note?: string;
}

export interface RolloutFilter {
  statuses?: readonly RolloutStatus[];
  env?: string;
  limit?: number;
  offset?: number;
}
