/**
 * The rules a rollback follows (DESIGN 9.3): no metric guard, no promotion order, allowed in a
 * freeze, `approval.rollback.minApprovals` (default 1) from the environment's approvers, and the
 * requester may approve their own only with `approval.rollback.selfApprove: true`. A traffic switch
 * has no Azure DevOps gate: the bot makes the change once the chat approval is complete.
 */
import type { PromotionRequest } from '../promotion/types';
import type { ApprovalPolicy, EnvironmentSettings, RollbackApproval } from '../settings';
import type { RollbackPlan } from './types';

export const ROLLBACK_DEFAULTS: RollbackApproval = { minApprovals: 1, selfApprove: false };

export function rollbackApproval(env: EnvironmentSettings): RollbackApproval {
  return env.approval?.rollback ?? ROLLBACK_DEFAULTS;
}

/** The environment as the lifecycle sees it for a rollback: the approval policy swapped for the rollback one. */
export function rollbackEnv(env: EnvironmentSettings, plan: Pick<RollbackPlan, 'mode'>): EnvironmentSettings {
  const policy = env.approval;
  const rules = rollbackApproval(env);
  if (!policy || rules.minApprovals === 0) return { ...env, approval: undefined, guard: undefined };
  const approval: ApprovalPolicy = {
    ...policy,
    minApprovals: rules.minApprovals,
    requesterCannotApprove: !rules.selfApprove,
    enforcedBy: plan.mode === 'traffic' ? 'bot' : policy.enforcedBy,
  };
  return { ...env, approval, guard: undefined };
}

/** Rollbacks go ahead during a deployment freeze; freeze checks call this before refusing. */
export function isFreezeExempt(r: Pick<PromotionRequest, 'rollback'>): boolean {
  return r.rollback !== undefined;
}
