/**
 * The promotion guard: the candidate's primary metric must not be worse than the version in the
 * target environment by more than the relative tolerance (0.02 = 2% worse allowed).
 */
import type { GuardSettings } from '../settings';
import { fmtNumber, fmtPercent } from './format';
import type { GuardResult } from './types';

export interface GuardSubject {
  version: string;
  /** Latest metric values of the version's training run; absent when the run has none. */
  metrics?: Record<string, number>;
}

export interface GuardInput {
  candidate: GuardSubject;
  /** The version currently in the target environment; absent when nothing runs there yet. */
  baseline?: GuardSubject;
  targetEnv: string;
  /** Where the guard came from, named when a metric is missing (`models[0] "taxi-fare-classifier"`). */
  origin?: string;
}

export function evaluateGuard(settings: GuardSettings, input: GuardInput): GuardResult {
  const { metric, goal, tolerance } = settings;
  const { candidate, baseline, targetEnv, origin } = input;
  const base = { metric, goal, tolerance, ...(origin ? { origin } : {}) };
  const fromRule = origin?.startsWith('models[') === true;
  const c = candidate.metrics?.[metric];
  const b = baseline?.metrics?.[metric];
  const baselineFacts = baseline ? { baselineVersion: baseline.version, ...(b !== undefined ? { baseline: b } : {}) } : {};
  if (c === undefined || !Number.isFinite(c)) {
    return {
      ...base, ...baselineFacts, passed: false,
      reason: fromRule
        ? `v${candidate.version} has no ${metric} metric, which the guard of rule ${origin} needs, so it cannot be compared with ${targetEnv}; log ${metric} in its training run, or change that rule's guard`
        : `v${candidate.version} has no ${metric} metric, so it cannot be compared with ${targetEnv}; log ${metric} in its training run`,
    };
  }
  if (!baseline) return { ...base, candidate: c, passed: true, reason: `nothing in ${targetEnv} yet` };
  if (b === undefined || !Number.isFinite(b)) {
    return { ...base, ...baselineFacts, candidate: c, passed: true, reason: `v${baseline.version} in ${targetEnv} has no ${metric} to compare with` };
  }
  const regression = relativeRegression(c, b, goal);
  const passed = regression <= tolerance + 1e-12;
  const direction = regression > 0 ? `${fmtPercent(regression)} worse` : regression < 0 ? `${fmtPercent(-regression)} better` : 'no change';
  const verdict = passed
    ? (regression > 0 ? `, within the ${fmtPercent(tolerance)} tolerance` : '')
    : `, beyond the ${fmtPercent(tolerance)} tolerance`;
  return {
    ...base, ...baselineFacts, candidate: c, regression, passed,
    reason: `${metric} ${fmtNumber(c)} vs ${fmtNumber(b)} (v${baseline.version} in ${targetEnv}): ${direction}${verdict}`,
  };
}

/**
 * Positive when the candidate is worse. Relative to the baseline's magnitude; a zero baseline has
 * no scale, so the plain difference stands in for it.
 */
export function relativeRegression(candidate: number, baseline: number, goal: 'minimize' | 'maximize'): number {
  const worse = goal === 'minimize' ? candidate - baseline : baseline - candidate;
  return baseline === 0 ? worse : worse / Math.abs(baseline);
}
