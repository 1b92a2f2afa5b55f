/** Shared builders for the promotion tests (not a test file itself). */
import type { ReduceContext, ReduceResult, Transition } from '../../src/core/promotion/events';
import { isRefused } from '../../src/core/promotion/events';
import { reduce } from '../../src/core/promotion/reducer';
import type { PromotionRequest } from '../../src/core/promotion/types';
import type { EnvironmentSettings } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';

export const T0 = new Date('2026-11-02T09:00:00.000Z');
export const HOUR = 3_600_000;

export function prodEnv(patch: Partial<NonNullable<EnvironmentSettings['approval']>> = {}): EnvironmentSettings {
  const env = testSettings().environments.find((e) => e.name === 'prod')!;
  return { ...env, approval: { ...env.approval!, ...patch } };
}

export function ctxAt(env: EnvironmentSettings, now: Date = T0): ReduceContext {
  return { env, now };
}

export const draft = {
  id: 'PR-AAAAA', model: 'taxi-model', version: '5', sourceEnv: 'dev', targetEnv: 'prod',
  requester: { id: 'slack:U0REQ', name: 'Rita' }, reason: 'better rmse',
};

export const passingGuard = { metric: 'rmse', goal: 'minimize' as const, tolerance: 0.02, candidate: 0.4, baseline: 0.41, baselineVersion: '4', regression: -0.024, passed: true, reason: 'rmse 0.4 vs 0.41 (v4 in prod): 2.4% better' };
export const okOrder = { allowed: true, reason: 'v5 already runs in preprod' };

export function ok(r: ReduceResult): Transition {
  if (isRefused(r)) throw new Error(`unexpected refusal: ${r.refused.message}`);
  return r;
}

/** A request freshly created in `env` (awaiting approval when the env has a policy). */
export function created(env: EnvironmentSettings = prodEnv()): PromotionRequest {
  return ok(reduce(null, { type: 'create', draft, guard: passingGuard, order: okOrder }, ctxAt(env))).request;
}

export const alice = { by: 'slack:U0ALICE', name: 'Alice' };
export const bob = { by: 'slack:U0BOB', name: 'Bob' };

export function kinds(t: Transition): string[] {
  return t.effects.map((e) => e.kind).sort();
}
