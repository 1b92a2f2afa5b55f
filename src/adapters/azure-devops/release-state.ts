/**
 * Azure DevOps states → ReleaseState. The SDK turns enum strings into numbers; strings are accepted
 * too (raw REST answers, servers that send them).
 */
import { ApprovalStatus, EnvironmentStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { RunResult, RunState } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import type { ReleaseStageStatus, ReleaseState } from '../../core/models';

const ENV_BY_NAME: Record<string, EnvironmentStatus> = {
  notstarted: EnvironmentStatus.NotStarted, inprogress: EnvironmentStatus.InProgress, succeeded: EnvironmentStatus.Succeeded,
  canceled: EnvironmentStatus.Canceled, rejected: EnvironmentStatus.Rejected, queued: EnvironmentStatus.Queued,
  scheduled: EnvironmentStatus.Scheduled, partiallysucceeded: EnvironmentStatus.PartiallySucceeded,
};

export function environmentStatus(raw: unknown): EnvironmentStatus {
  if (typeof raw === 'number') return raw as EnvironmentStatus;
  if (typeof raw === 'string') return ENV_BY_NAME[raw.toLowerCase()] ?? EnvironmentStatus.Undefined;
  return EnvironmentStatus.Undefined;
}

export function stageState(raw: unknown): ReleaseStageStatus['state'] {
  switch (environmentStatus(raw)) {
    case EnvironmentStatus.NotStarted: return 'not_started';
    case EnvironmentStatus.InProgress: return 'in_progress';
    case EnvironmentStatus.Succeeded: return 'succeeded';
    case EnvironmentStatus.Canceled: return 'canceled';
    case EnvironmentStatus.Rejected: return 'rejected';
    case EnvironmentStatus.Queued:
    case EnvironmentStatus.Scheduled: return 'queued';
    // Some tasks failed: the model is not reliably deployed.
    case EnvironmentStatus.PartiallySucceeded: return 'failed';
    default: return 'queued';
  }
}

/**
 * A classic release environment's state as a person reads it: a stage held by its pending
 * pre-deployment approval is "awaiting approval", not "queued".
 */
export function environmentStageState(env: { status?: unknown; preDeployApprovals?: { status?: unknown; isAutomated?: boolean }[] }): ReleaseStageStatus['state'] {
  const s = stageState(env.status);
  const pending = (env.preDeployApprovals ?? []).some((a) => !a.isAutomated && approvalPending(a.status));
  return pending && (s === 'queued' || s === 'not_started' || s === 'in_progress') ? 'awaiting_approval' : s;
}

function approvalPending(raw: unknown): boolean {
  return raw === ApprovalStatus.Pending || (typeof raw === 'string' && raw.toLowerCase() === 'pending');
}

/** The state of the target stage; a pending approval on it wins over the raw status. */
export function targetState(raw: unknown, pendingApproval: boolean): ReleaseState {
  const s = stageState(raw);
  if (pendingApproval && (s === 'queued' || s === 'in_progress' || s === 'not_started')) return 'awaiting_approval';
  return s === 'not_started' ? 'queued' : s;
}

const RUN_STATE: Record<string, RunState> = { inprogress: RunState.InProgress, canceling: RunState.Canceling, completed: RunState.Completed };
const RUN_RESULT: Record<string, RunResult> = { succeeded: RunResult.Succeeded, failed: RunResult.Failed, canceled: RunResult.Canceled };

const asEnum = <T>(raw: unknown, byName: Record<string, T>, fallback: T): T =>
  typeof raw === 'number' ? (raw as T) : typeof raw === 'string' ? byName[raw.toLowerCase()] ?? fallback : fallback;

export function runState(state: unknown, result: unknown, pendingApproval: boolean, rejected: boolean): ReleaseState {
  const st = asEnum(state, RUN_STATE, RunState.Unknown);
  if (st === RunState.Completed) {
    const res = asEnum(result, RUN_RESULT, RunResult.Unknown);
    if (res === RunResult.Succeeded) return 'succeeded';
    if (res === RunResult.Canceled) return rejected ? 'rejected' : 'canceled';
    return rejected ? 'rejected' : 'failed';
  }
  if (st === RunState.Canceling) return 'canceled';
  if (pendingApproval) return 'awaiting_approval';
  return st === RunState.InProgress ? 'in_progress' : 'queued';
}

/** What the run as a whole says; the target stage's state comes from the timeline (pipeline-stages). */
export function runFacts(state: unknown, result: unknown): { ended: boolean; canceling: boolean; canceled: boolean; succeeded: boolean } {
  const st = asEnum(state, RUN_STATE, RunState.Unknown);
  const res = asEnum(result, RUN_RESULT, RunResult.Unknown);
  const ended = st === RunState.Completed;
  return { ended, canceling: st === RunState.Canceling, canceled: ended && res === RunResult.Canceled, succeeded: ended && res === RunResult.Succeeded };
}
