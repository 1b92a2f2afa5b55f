/**
 * The stage of a YAML run that deploys to the target environment, read from the build timeline.
 * A run is `inProgress` from its first stage to its last, so the run's own state says nothing about
 * the environment: dev and preprod deploying, or the prod check not yet created, look the same.
 * Timeline records: `Stage` (name = display name, identifier = YAML id), and under a stage a
 * `Checkpoint` whose `Checkpoint.Approval` child has the environment approval's id.
 */
import { TaskResult, TimelineRecordState, type TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { BotError } from '../../core/errors';
import type { ReleaseStageStatus, ReleaseState } from '../../core/models';
import type { PipelineRelease } from '../../core/settings';

export type StageState = 'pending' | 'inProgress' | 'completed';
export type StageResult = 'succeeded' | 'succeededWithIssues' | 'failed' | 'canceled' | 'skipped' | 'abandoned';

export interface StageRecord {
  id: string;
  name: string;
  identifier?: string;
  order: number;
  state: StageState;
  result?: StageResult;
}

const STATES: Record<number, StageState> = {
  [TimelineRecordState.Pending]: 'pending', [TimelineRecordState.InProgress]: 'inProgress', [TimelineRecordState.Completed]: 'completed',
};
const RESULTS: Record<number, StageResult> = {
  [TaskResult.Succeeded]: 'succeeded', [TaskResult.SucceededWithIssues]: 'succeededWithIssues', [TaskResult.Failed]: 'failed',
  [TaskResult.Canceled]: 'canceled', [TaskResult.Skipped]: 'skipped', [TaskResult.Abandoned]: 'abandoned',
};

/** The SDK turns enum strings into numbers (Succeeded is 0); raw answers keep strings. */
function named<T extends string>(raw: unknown, byNumber: Record<number, T>): T | undefined {
  if (typeof raw === 'number') return byNumber[raw];
  if (typeof raw !== 'string') return undefined;
  return Object.values(byNumber).find((n) => n.toLowerCase() === raw.toLowerCase());
}

const isType = (r: TimelineRecord, type: string) => (r.type ?? '').toLowerCase() === type.toLowerCase();

export function stageRecords(records: TimelineRecord[]): StageRecord[] {
  return records.filter((r) => isType(r, 'Stage') && r.id).map((r) => {
    const result = named(r.result, RESULTS);
    return {
      id: r.id!, name: r.name ?? r.identifier ?? '', order: r.order ?? 0, state: named(r.state, STATES) ?? 'pending',
      ...(r.identifier ? { identifier: r.identifier } : {}),
      ...(result && named(r.state, STATES) === 'completed' ? { result } : {}),
    };
  }).sort((a, b) => a.order - b.order);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `release.stage` when set; otherwise the stage named like the environment, or the only stage. */
export function targetStage(stages: StageRecord[], s: PipelineRelease): StageRecord | undefined {
  if (stages.length === 0) return undefined;
  const names = (st: StageRecord) => [st.identifier, st.name].filter((n): n is string => !!n);
  let found: StageRecord | undefined;
  if (s.stage) {
    const wanted = s.stage.toLowerCase();
    found = stages.find((st) => names(st).some((n) => n.toLowerCase() === wanted));
  } else {
    const env = squash(s.environment);
    const accepted = [env, `deploy${env}`, `deployto${env}`];
    found = stages.find((st) => names(st).some((n) => accepted.includes(squash(n)))) ?? (stages.length === 1 ? stages[0] : undefined);
  }
  if (found) return found;
  const list = stages.map((st) => st.identifier ?? st.name).join(', ');
  throw new BotError('config_invalid', `Pipeline ${s.pipeline} has no stage ${s.stage ? `"${s.stage}"` : `for environment ${s.environment}`} (it has: ${list}).`, {
    remedy: 'Set release.stage of this environment to the stage that deploys to it.',
    details: { pipeline: s.pipeline, stage: s.stage, environment: s.environment },
  });
}

/**
 * Ids of the approvals under a stage; undefined when the timeline shows no approval record at all
 * (a server that does not report them), so the caller cannot tell which stage an approval belongs to.
 */
export function approvalIdsUnder(records: TimelineRecord[], stageId: string): Set<string> | undefined {
  const approvals = records.filter((r) => isType(r, 'Checkpoint.Approval') && r.id);
  if (approvals.length === 0) return undefined;
  const parent = new Map(records.filter((r) => r.id).map((r) => [r.id!.toLowerCase(), r.parentId?.toLowerCase()]));
  const under = (id: string): boolean => {
    for (let at: string | undefined = id.toLowerCase(), hops = 0; at && hops < 10; at = parent.get(at), hops++) {
      if (at === stageId.toLowerCase()) return true;
    }
    return false;
  };
  return new Set(approvals.filter((a) => under(a.id!)).map((a) => a.id!.toLowerCase()));
}

/** True when every stage before the target has finished: a run-level approval can then only be the target's. */
export function reachedTarget(stages: StageRecord[], target: StageRecord): boolean {
  return stages.filter((st) => st.order < target.order).every((st) => st.state === 'completed');
}

export interface RunFacts { ended: boolean; canceling: boolean; canceled: boolean }

/** The target stage's state; an explicit rejection or a pending approval of that stage wins. */
export function targetState(target: StageRecord, stages: StageRecord[], run: RunFacts, gate: { pending: boolean; rejected: boolean }): { state: ReleaseState; error?: string } {
  const label = target.identifier ?? target.name;
  if (gate.rejected) return { state: 'rejected' };
  if (target.state === 'completed') {
    switch (target.result) {
      case 'succeeded': return { state: 'succeeded' };
      case 'canceled': return { state: 'canceled', error: `Stage ${label} was canceled.` };
      // As a partially succeeded classic stage: the model is not reliably deployed.
      case 'succeededWithIssues': return { state: 'failed', error: `Stage ${label} succeeded with issues.` };
      case 'skipped': return { state: run.canceled ? 'canceled' : 'failed', error: `Stage ${label} was skipped${blame(stages, target)}.` };
      default: return { state: 'failed', error: `Stage ${label} failed.` };
    }
  }
  if (gate.pending) return { state: 'awaiting_approval' };
  if (run.ended) return { state: run.canceled ? 'canceled' : 'failed', error: `The run ended before stage ${label} ran${blame(stages, target)}.` };
  if (run.canceling) return { state: 'canceled', error: `The run is being canceled before stage ${label} finished.` };
  return { state: target.state === 'inProgress' ? 'in_progress' : 'queued' };
}

function blame(stages: StageRecord[], target: StageRecord): string {
  const bad = stages.find((st) => st.id !== target.id && (st.result === 'failed' || st.result === 'canceled' || st.result === 'abandoned'));
  return bad ? `: stage ${bad.identifier ?? bad.name} ${bad.result === 'failed' ? 'failed' : 'was canceled'}` : '';
}

export function stageStatus(st: StageRecord): ReleaseStageStatus {
  const state: ReleaseStageStatus['state'] = st.state === 'inProgress' ? 'in_progress' : st.state === 'pending' ? 'not_started'
    : st.result === 'succeeded' ? 'succeeded' : st.result === 'canceled' || st.result === 'skipped' ? 'canceled' : 'failed';
  return { name: st.name, state };
}
