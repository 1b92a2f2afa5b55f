/**
 * Break glass and guard overrides (DESIGN §9.5) ask one approval more than usual each. Where the
 * environment needs no approval, the usual is none, so they need one — from the admins, since the
 * environment names no approvers — and the bot starts the release only after it.
 */
import type { ApprovalPolicy, BotSettings, EnvironmentSettings } from '../settings';
import type { Escalation } from '../promotion/types';

const HOUR = 3_600_000;

export function extraApprovals(e: Escalation | undefined): number {
  return (e?.breakGlass ? 1 : 0) + (e?.overrideGuard ? 1 : 0);
}

/** The policy that approves a request into `env` with this escalation; undefined: no approval at all. */
export function approvalPolicyFor(settings: BotSettings, env: EnvironmentSettings, e: Escalation | undefined): ApprovalPolicy | undefined {
  if (env.approval || extraApprovals(e) === 0) return env.approval;
  return {
    approvers: settings.admins, minApprovals: 0, requesterCannotApprove: true,
    expiresAfterMs: 72 * HOUR, remindEveryMs: 24 * HOUR, enforcedBy: 'bot',
  };
}

/** The environment as the lifecycle of one request sees it: its approval policy, escalation included. */
export function envForRequest(settings: BotSettings, env: EnvironmentSettings, e: Escalation | undefined): EnvironmentSettings {
  const approval = approvalPolicyFor(settings, env, e);
  return approval === env.approval ? env : { ...env, approval };
}
