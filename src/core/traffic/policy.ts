/**
 * The rules a traffic change follows (DESIGN 9.4): the environment's own approval policy (approvers,
 * N-of-M, requester-cannot-approve, expiry), no metric guard, no promotion order; the bot makes the
 * change itself once the chat approval is complete (there is no Azure DevOps gate); a freeze stops it.
 */
import type { EnvironmentSettings } from '../settings';

export function trafficEnv(env: EnvironmentSettings): EnvironmentSettings {
  const policy = env.approval;
  if (!policy || policy.minApprovals === 0) return { ...env, approval: undefined, guard: undefined };
  return { ...env, approval: { ...policy, enforcedBy: 'bot' }, guard: undefined };
}
