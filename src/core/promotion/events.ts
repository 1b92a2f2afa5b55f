/**
 * What can happen to a promotion request, and what the reducer answers: the next request with its
 * audit drafts and effects, or a typed refusal from a closed list.
 */
import type { AuditDraft } from '../audit/types';
import type { ErrorCode } from '../errors';
import type { ReleaseRef, ReleaseStatus } from '../models';
import type { EffectDraft } from '../outbox/types';
import type { Freeze } from '../policy/freezes';
import type { AsApprover, EnvironmentSettings } from '../settings';
import type { AdoRefusal, GuardResult, PromotionRequest } from './types';

/** The facts of a new request, resolved by the service before the reducer runs. */
export type NewRequestDraft = Pick<PromotionRequest, 'id' | 'model' | 'version' | 'sourceEnv' | 'targetEnv' | 'requester' | 'reason' | 'requesterChannel' | 'rule' | 'escalation' | 'rollback' | 'traffic'>;

export interface OrderCheck {
  allowed: boolean;
  reason: string;
  /** The environment the version must have reached first, when the order applies. */
  requiredEnv?: string;
}

export type PromotionEvent =
  | { type: 'create'; draft: NewRequestDraft; guard?: GuardResult; order: OrderCheck }
  | {
    type: 'approve'; by: string; name: string; email?: string; comment?: string; isApprover: boolean;
    /** The approver's Entra object id (Teams, or their linked account). */
    objectId?: string;
    /** Their chat account is linked to an Entra account, so Azure DevOps can record them. */
    linked?: boolean;
    /** `approval.asApprover` for this model and environment (default prefer-human). */
    asApprover?: AsApprover;
  }
  | { type: 'reject'; by: string; name: string; email?: string; reason: string; isApprover: boolean }
  | { type: 'cancel'; by: string; name: string; isAdmin: boolean }
  | { type: 'tick' }
  | { type: 'release_started'; ref: ReleaseRef }
  | { type: 'release_status'; status: ReleaseStatus }
  | { type: 'stalled'; step: string; error: string; failedForMs: number }
  | { type: 'retry'; by: string; name: string; allowed: boolean }
  | { type: 'ado_refused'; by: string; reason: AdoRefusal['reason']; detail: string }

  | { type: 'traffic_switched'; endpoint: string; traffic: Record<string, number>; mirror?: Record<string, number> }
  | { type: 'traffic_failed'; error: string };

export interface ReduceContext {
  /** Settings of the target environment (approval policy, channels). */
  env: EnvironmentSettings;
  now: Date;
  /** The freeze on the target environment at `now`, if any: an approved request waits for its end. */
  freeze?: Freeze;
}

export interface Transition {
  /** The same object as the input when nothing changed (a duplicate click, a quiet tick). */
  request: PromotionRequest;
  effects: EffectDraft[];
  audit: AuditDraft[];
  /**
   * The caller's action was not applied although the request moved: a decision that arrived after
   * the expiry expires the request (commit it) and is refused (tell the caller).
   */
  refusal?: Refusal;
}

export const REFUSAL_REASONS = [
  'not_approver', // deny by default: only the environment's approvers decide
  'self_approval', // requesterCannotApprove
  'not_requester', // cancel is for the requester or an admin
  'not_requester_allowed', // the environment lists requesters and the caller is not one
  'missing_reason', // a rejection needs a reason
  'invalid_state', // the request is past the point where this action applies
  'duplicate_request', // the same version is already on its way to the same environment
  'already_serving', // the version asked for is the one that already runs in the environment
  'frozen', // the target environment is frozen (DESIGN §9.5)
  'not_frozen', // --break-glass where no freeze holds
  'override_not_needed', // --override-guard where the guard passes or none applies
  'not_retrier', // retrying a stalled step is for the environment's approvers and admins
  'nothing_to_retry', // no step of the request has been given up
  'not_linked', // approval.asApprover: human, and the approver's chat account is not linked (DESIGN 9.6)
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface Refusal {
  reason: RefusalReason;
  code: ErrorCode;
  message: string;
  remedy: string;
}

export type ReduceResult = Transition | { refused: Refusal };

export const isRefused = (r: ReduceResult): r is { refused: Refusal } => 'refused' in r;

const CODES: Record<RefusalReason, ErrorCode> = {
  not_approver: 'forbidden',
  self_approval: 'forbidden',
  not_requester: 'forbidden',
  not_requester_allowed: 'forbidden',
  missing_reason: 'usage',
  invalid_state: 'invalid_state',
  duplicate_request: 'conflict',
  already_serving: 'already_exists',
  frozen: 'forbidden',
  not_frozen: 'usage',
  override_not_needed: 'usage',
  not_retrier: 'forbidden',
  nothing_to_retry: 'invalid_state',
  not_linked: 'forbidden',
};

export function refuse(reason: RefusalReason, message: string, remedy: string): { refused: Refusal } {
  return { refused: { reason, code: CODES[reason], message, remedy } };
}
