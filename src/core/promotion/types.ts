import type { ReleaseRef, ReleaseState } from '../models';
import type { RollbackPlan } from '../rollback/types';
import type { TrafficPlan } from '../traffic/types';

/** The life of a promotion request (DESIGN §3). */
export const PROMOTION_STATES = [
  'requested',
  'blocked',
  'awaiting_approval',
  'approved',
  'releasing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
] as const;
export type PromotionState = (typeof PROMOTION_STATES)[number];

export const TERMINAL_STATES: readonly PromotionState[] = ['blocked', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled'];
/** States in which a request holds its model version's way to its environment (one at a time). */
export const OPEN_STATES: readonly PromotionState[] = ['requested', 'awaiting_approval', 'approved', 'releasing'];

export interface Decision {
  /** Platform-qualified principal id. */
  by: string;
  name: string;
  /** The person's email when known: the same person on Slack and Teams shares it. */
  email?: string;
  at: string; // ISO time
  comment?: string;
  /** The person's Entra object id when known (Teams, or a linked account): the person across surfaces. */
  objectId?: string;
  /**
   * Azure DevOps is to record this person as the approver, with their own delegated token (DESIGN
   * 9.6), as `approval.asApprover` said when they approved: under `prefer-human` the bot may stand in.
   */
  asHuman?: 'human' | 'prefer-human';
}

/** Azure DevOps would not take the approval from the person (DESIGN 9.6); the request stays open. */
export interface AdoRefusal {
  by: string;
  name: string;
  reason: 'not_approver' | 'revalidate' | 'token_refused' | 'not_linked';
  /** What Azure DevOps (or the sign-in) said, in words. */
  detail: string;
  at: string;
  /** How many times Azure DevOps refused a person on this request (keys the next grant). */
  count: number;
}

/** The metric comparison between the candidate and the version in the target environment. */
export interface GuardResult {
  metric: string;
  goal: 'minimize' | 'maximize';
  tolerance: number;
  candidate?: number;
  /** Version currently in the target environment, if any. */
  baselineVersion?: string;
  baseline?: number;
  /** Relative change of the candidate vs the baseline, in the "worse is positive" direction. */
  regression?: number;
  passed: boolean;
  /** Why it passed or failed, in words. */
  reason: string;
  /** Where the guard came from: a model rule (`models[0] "taxi-*"`) or `environment prod`. */
  origin?: string;
}

/**
 * What the requester asked beyond the usual (DESIGN §9.5); each adds one approval to what the
 * environment needs, and the card and the audit say so.
 */
export interface Escalation {
  /** Promote during a freeze. */
  breakGlass?: { reason: string; freeze: string };
  /** Send a guard-failing version to approval; `regression` is the guard's verdict in words. */
  overrideGuard?: { reason: string; regression: string };
}

export interface PromotionRequest {
  /** Short human id, e.g. `PR-7K3QX`. */
  id: string;
  /** Optimistic-concurrency counter, incremented by each committed transition. */
  revision: number;
  model: string;
  version: string;
  sourceEnv: string;
  targetEnv: string;
  requester: { id: string; name: string; email?: string; objectId?: string };
  reason?: string;
  state: PromotionState;
  approvals: Decision[];
  rejection?: Decision;
  cancellation?: Decision;
  guard?: GuardResult;
  /** Approvals needed (snapshot of the policy at creation). */
  minApprovals: number;
  release?: ReleaseRef & { approvalId?: string; lastState?: ReleaseState };
  /** Why it ended in blocked/failed. */
  failure?: string;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
  remindersSent: number;
  lastReminderAt?: string;
  /**
   * Who holds the approval gate, snapshot at creation: `ado` (the release starts at once and waits
   * at the Azure DevOps gate), `bot` (the release starts after the chat approval); absent when the
   * environment needs no approval.
   */
  gate?: 'ado' | 'bot';
  /** The model rule that applied (`models[0] "taxi-fare-classifier"`), absent when none matched. */
  rule?: string;
  escalation?: Escalation;
  /**
   * A freeze started while the request waited: it cannot release until the freeze ends. Set and
   * cleared by the promotion clock; the card says so.
   */
  heldBy?: { freezeId: string; reason: string; until: string };
  /** Conversation where the request was made; its status card and notices go there. */
  requesterChannel?: string;
  /** A decision taken in the Azure DevOps web UI rather than through the bot. */
  adoDecision?: { decision: 'approved' | 'rejected'; by: string; at: string };
  /** The last time Azure DevOps refused the person whose approval the bot passed on (DESIGN 9.6). */
  adoRefusal?: AdoRefusal;
  /** The bot has asked Azure DevOps to reject the gate (after a reject, cancel or expiry). */
  gateRejectSent?: boolean;
  /**
   * A step the outbox gave up on after retrying until its deadline: the card, the requester and
   * the audit channel show it, with a Retry button, until someone retries it.
   */
  stall?: Stall;
  /** Set on rollbacks (DESIGN 9.3, `src/core/rollback/`): how it goes back, and from which version. */
  rollback?: RollbackPlan;
  /** Set on traffic changes (DESIGN 9.4, `src/core/traffic/`): filed under the endpoint's name, version `traffic`. */
  traffic?: TrafficPlan;
}

export interface Stall {
  /** The effect kind that gave up, e.g. `start_release`. */
  step: string;
  /** Its last error, in words. */
  error: string;
  /** How long it kept failing before the outbox gave up. */
  failedForMs: number;
  at: string;
}
