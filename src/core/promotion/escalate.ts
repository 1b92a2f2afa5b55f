/**
 * The requester's asks beyond the usual (DESIGN §9.5), checked before a request is created: a
 * frozen target refuses unless `--break-glass`; `--override-guard` applies only to a failing guard.
 * Both need a reason. Returns the escalation to record, or the refusal.
 */
import { checkFreeze, freezeLine } from '../policy/freeze-check';
import type { Freeze } from '../policy/freezes';
import type { Refusal } from './events';
import { refuse } from './events';
import type { Escalation, GuardResult } from './types';

export interface EscalationAsk { breakGlass?: boolean; overrideGuard?: boolean; reason?: string; model: string; env: string }

/** Before planning (no upstream call needed): the freeze and the reason. */
export function checkBeforePlan(ask: EscalationAsk, freeze: Freeze | undefined): Refusal | undefined {
  const flag = ask.breakGlass ? '--break-glass' : ask.overrideGuard ? '--override-guard' : undefined;
  if (flag && !ask.reason) {
    return refuse('missing_reason', `${flag} needs a reason, shown to approvers and kept in the audit trail.`, `Try: promote ${ask.model} ${ask.env} ${flag} --reason "…"`).refused;
  }
  const verdict = checkFreeze('promotion', freeze, { breakGlass: ask.breakGlass });
  if (!verdict.allowed) return refuse('frozen', verdict.message, verdict.remedy).refused;
  if (ask.breakGlass && !freeze) {
    return refuse('not_frozen', `${ask.env} is not frozen, so there is no glass to break.`, `Promote without --break-glass: promote ${ask.model} ${ask.env}`).refused;
  }
  return undefined;
}

/** After planning: the guard verdict decides whether an override applies. */
export function escalationOf(ask: EscalationAsk, freeze: Freeze | undefined, guard: GuardResult | undefined): Escalation | Refusal {
  const out: Escalation = {};
  if (ask.overrideGuard) {
    if (!guard) {
      return refuse('override_not_needed', `No guard applies to ${ask.model} in ${ask.env}, so there is nothing to override.`, `Promote without --override-guard: promote ${ask.model} ${ask.env}`).refused;
    }
    if (guard.passed) {
      return refuse('override_not_needed', `The guard passes (${guard.reason}), so there is nothing to override.`, `Promote without --override-guard: promote ${ask.model} ${ask.env}`).refused;
    }
    out.overrideGuard = { reason: ask.reason ?? '', regression: guard.reason };
  }
  if (ask.breakGlass && freeze) out.breakGlass = { reason: ask.reason ?? '', freeze: freezeLine(freeze) };
  return out;
}

export const isEscalationRefusal = (x: Escalation | Refusal): x is Refusal => 'code' in x;
