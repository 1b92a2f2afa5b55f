/**
 * How a YAML pipeline run moves: stage after stage; a stage deploying to an environment with an
 * Approvals check waits for it (run stays inProgress); approval lets it deploy, rejection fails the
 * run. Logical times, as in release-sim.ts.
 */
import { randomUUID } from 'node:crypto';
import type { AdoIdentity, CheckApprovalRec, PipelineRec, PipelineRunRec, RunStageRec } from './ado-types';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { checkApprovalPendingEvent, runStateChangedEvent } from './events';
import { deployModel, envOfStage } from './serving-sim';

export const STAGE_MS = 3000;

function pipelineOf(emu: EmulatorContext, run: PipelineRunRec): PipelineRec | undefined {
  return emu.state.ado.pipelines.find((p) => p.id === run.pipelineId);
}

function nextStageIndex(p: PipelineRec, run: PipelineRunRec, from: number): number {
  const skip = new Set(run.stagesToSkip.map((s) => s.toLowerCase()));
  let i = from;
  while (i < p.stages.length && skip.has((p.stages[i]?.name ?? '').toLowerCase())) i++;
  return i;
}

/** The timeline's view of each stage, kept from the run's start (see ado-build-timeline.ts). */
export function runStages(p: PipelineRec, run: PipelineRunRec): RunStageRec[] {
  if (!run.stageRecords) run.stageRecords = deriveStages(p, run);
  return run.stageRecords;
}

/** Runs stored before stage records existed: rebuilt from the stage index. */
function deriveStages(p: PipelineRec, run: PipelineRunRec): RunStageRec[] {
  const skip = new Set(run.stagesToSkip.map((x) => x.toLowerCase()));
  return p.stages.map((st, i): RunStageRec => {
    const base = { id: randomUUID(), name: st.name };
    if (skip.has(st.name.toLowerCase())) return { ...base, state: 'completed', result: 'skipped' };
    if (i < run.stageIndex) return { ...base, state: 'completed', result: 'succeeded' };
    if (i > run.stageIndex) return run.state === 'completed' ? { ...base, state: 'completed', result: 'skipped' } : { ...base, state: 'pending' };
    if (run.state === 'completed') return { ...base, state: 'completed', result: run.result ?? 'succeeded' };
    return { ...base, state: run.approvalId ? 'pending' : 'inProgress' };
  });
}

function finishStage(p: PipelineRec, run: PipelineRunRec, index: number, result: NonNullable<RunStageRec['result']>, at: number): void {
  const rec = runStages(p, run)[index];
  if (!rec || rec.state === 'completed') return;
  Object.assign(rec, { state: 'completed', result, finishTime: isoAt(at), startTime: rec.startTime ?? isoAt(at) });
}

function complete(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec, result: 'succeeded' | 'failed' | 'canceled', at: number): void {
  finishStage(p, run, run.stageIndex, result, at);
  runStages(p, run).forEach((_, i) => finishStage(p, run, i, 'skipped', at));
  run.state = 'completed';
  run.result = result;
  run.finishedDate = isoAt(at);
  delete run.stageDueAt;
  emu.emit(runStateChangedEvent(emu, run, p));
}

/** The environment's Approvals check is assigned to the approvers' group (the bot alone in older state). */
function checkApprover(emu: EmulatorContext): AdoIdentity {
  const group = emu.state.ado.groups?.[0];
  if (!group) return emu.state.ado.botIdentity;
  const { members: _members, ...ref } = group;
  return ref;
}

function beginStage(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec, index: number, at: number): void {
  run.stageIndex = index;
  const stage = p.stages[index];
  if (!stage) {
    complete(emu, p, run, 'succeeded', at);
    return;
  }
  if (stage.approvalEnvironment) {
    // The stage waits for its check before it starts: the timeline shows it pending, its checkpoint in progress.
    const approval: CheckApprovalRec = {
      id: randomUUID(), checkpointId: randomUUID(), runId: run.id, pipelineId: p.id, stageName: stage.name, environment: stage.approvalEnvironment,
      status: 'pending', approver: checkApprover(emu), comment: '',
      instructions: `Approve the deployment of ${run.templateParameters['modelName'] ?? 'the model'} to ${stage.approvalEnvironment}.`,
      createdOn: isoAt(at), lastModifiedOn: isoAt(at),
    };
    emu.state.ado.checkApprovals.push(approval);
    run.approvalId = approval.id;
    delete run.stageDueAt;
    emu.emit(checkApprovalPendingEvent(emu, approval, run, p));
    return;
  }
  startStage(p, run, index, at);
}

function startStage(p: PipelineRec, run: PipelineRunRec, index: number, at: number): void {
  const rec = runStages(p, run)[index];
  if (rec) Object.assign(rec, { state: 'inProgress', startTime: isoAt(at) });
  run.stageDueAt = at + STAGE_MS;
}

export function startRun(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec): void {
  const skip = new Set(run.stagesToSkip.map((x) => x.toLowerCase()));
  run.stageRecords = p.stages.map((st) => skip.has(st.name.toLowerCase())
    ? { id: randomUUID(), name: st.name, state: 'completed', result: 'skipped' }
    : { id: randomUUID(), name: st.name, state: 'pending' });
  emu.emit(runStateChangedEvent(emu, run, p));
  beginStage(emu, p, run, nextStageIndex(p, run, 0), Date.parse(run.createdDate));
}

function stepOnce(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec, now: number): boolean {
  if (run.state === 'completed') return false;
  if (run.approvalId) {
    const ap = emu.state.ado.checkApprovals.find((a) => a.id === run.approvalId);
    if (!ap || ap.status === 'pending') return false;
    const at = Date.parse(ap.lastModifiedOn);
    delete run.approvalId;
    if (ap.status === 'approved') startStage(p, run, run.stageIndex, at);
    else complete(emu, p, run, ap.status === 'canceled' ? 'canceled' : 'failed', at);
    return true;
  }
  if (run.stageDueAt === undefined || run.stageDueAt > now) return false;
  finishStage(p, run, run.stageIndex, 'succeeded', run.stageDueAt);
  const deployed = p.stages[run.stageIndex];
  if (deployed) deployModel(emu, envOfStage(deployed), run.templateParameters['modelName'], run.templateParameters['modelVersion'], run.stageDueAt);
  beginStage(emu, p, run, nextStageIndex(p, run, run.stageIndex + 1), run.stageDueAt);
  return true;
}

/** Advances a run as far as `now` allows; returns whether anything changed. */
export function stepRun(emu: EmulatorContext, run: PipelineRunRec, now: number): boolean {
  const p = pipelineOf(emu, run);
  if (!p) return false;
  let changed = false;
  for (let guard = 0; guard < 100 && stepOnce(emu, p, run, now); guard++) changed = true;
  return changed;
}

export function activeRuns(emu: EmulatorContext): PipelineRunRec[] {
  return emu.state.ado.runs.filter((r) => r.state !== 'completed');
}
