/**
 * How a YAML pipeline run moves: stage after stage; a stage deploying to an environment with an
 * Approvals check waits for it (run stays inProgress); approval lets it deploy, rejection fails the
 * run. Logical times, as in release-sim.ts.
 */
import { randomUUID } from 'node:crypto';
import type { CheckApprovalRec, PipelineRec, PipelineRunRec } from './ado-types';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { checkApprovalPendingEvent, runStateChangedEvent } from './events';

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

function complete(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec, result: 'succeeded' | 'failed' | 'canceled', at: number): void {
  run.state = 'completed';
  run.result = result;
  run.finishedDate = isoAt(at);
  delete run.stageDueAt;
  emu.emit(runStateChangedEvent(emu, run, p));
}

function beginStage(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec, index: number, at: number): void {
  run.stageIndex = index;
  const stage = p.stages[index];
  if (!stage) {
    complete(emu, p, run, 'succeeded', at);
    return;
  }
  if (stage.approvalEnvironment) {
    const approval: CheckApprovalRec = {
      id: randomUUID(), runId: run.id, pipelineId: p.id, stageName: stage.name, environment: stage.approvalEnvironment,
      status: 'pending', approver: emu.state.ado.botIdentity, comment: '',
      instructions: `Approve the deployment of ${run.templateParameters['modelName'] ?? 'the model'} to ${stage.approvalEnvironment}.`,
      createdOn: isoAt(at), lastModifiedOn: isoAt(at),
    };
    emu.state.ado.checkApprovals.push(approval);
    run.approvalId = approval.id;
    delete run.stageDueAt;
    emu.emit(checkApprovalPendingEvent(emu, approval, run, p));
    return;
  }
  run.stageDueAt = at + STAGE_MS;
}

export function startRun(emu: EmulatorContext, p: PipelineRec, run: PipelineRunRec): void {
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
    if (ap.status === 'approved') run.stageDueAt = at + STAGE_MS;
    else complete(emu, p, run, ap.status === 'canceled' ? 'canceled' : 'failed', at);
    return true;
  }
  if (run.stageDueAt === undefined || run.stageDueAt > now) return false;
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
