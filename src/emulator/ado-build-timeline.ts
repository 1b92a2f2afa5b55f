/**
 * The build timeline of a YAML run (`BuildApi.getBuildTimeline`): a `Stage` record per stage, a
 * `Job` under each stage that started, and under a gated stage a `Checkpoint` whose
 * `Checkpoint.Approval` child carries the environment approval's id, as Azure DevOps shows them.
 */
import { createHash } from 'node:crypto';
import { adoError, adoRoute, orgUrl } from './ado-common';
import type { CheckApprovalRec, PipelineRunRec, RunStageRec } from './ado-types';
import type { EmulatorContext } from './context';
import { runStages } from './pipeline-sim';
import type { Router } from './router';
import { sendJson } from './router';

/** Stable GUID-shaped ids for records the emulator does not store. */
function derivedId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type Rec = Record<string, unknown>;

function record(type: string, id: string, parentId: string | null, name: string, order: number, state: string, result: string | undefined, start?: string, finish?: string): Rec {
  return {
    previousAttempts: [], id, parentId, type, name, startTime: start ?? null, finishTime: finish ?? null,
    currentOperation: null, percentComplete: null, state, result: result ?? null, resultCode: null, changeId: 1,
    lastModified: finish ?? start ?? '0001-01-01T00:00:00', workerName: null, order, details: null,
    errorCount: result === 'failed' ? 1 : 0, warningCount: 0, url: null, log: null, task: null, attempt: 1, identifier: null,
  };
}

function stageRecords(st: RunStageRec, order: number): Rec[] {
  const stage = { ...record('Stage', st.id, null, st.name, order, st.state, st.result, st.startTime, st.finishTime), identifier: st.name };
  if (!st.startTime || st.result === 'skipped') return [stage];
  const jobId = derivedId(`${st.id}:job`);
  return [stage, { ...record('Job', jobId, st.id, `Deploy ${st.name}`, 1, st.state, st.result, st.startTime, st.finishTime), workerName: 'Azure Pipelines 2' }];
}

function checkpointRecords(ap: CheckApprovalRec, stageId: string): Rec[] {
  const checkpointId = ap.checkpointId ?? derivedId(`${ap.id}:checkpoint`);
  const done = ap.status !== 'pending';
  const result = !done ? undefined : ap.status === 'approved' ? 'succeeded' : ap.status === 'canceled' ? 'canceled' : 'failed';
  const finish = done ? ap.lastModifiedOn : undefined;
  const state = done ? 'completed' : 'inProgress';
  return [
    record('Checkpoint', checkpointId, stageId, 'Checkpoint', 1, state, result, ap.createdOn, finish),
    record('Checkpoint.Approval', ap.id, checkpointId, 'Checkpoint.Approval', 1, state, result, ap.createdOn, finish),
  ];
}

export function timelineView(emu: EmulatorContext, run: PipelineRunRec): Rec | undefined {
  const p = emu.state.ado.pipelines.find((x) => x.id === run.pipelineId);
  if (!p) return undefined;
  const stages = runStages(p, run);
  const approvals = emu.state.ado.checkApprovals.filter((a) => a.runId === run.id);
  const records = stages.flatMap((st, i) => [
    ...stageRecords(st, i + 1),
    ...approvals.filter((a) => a.stageName.toLowerCase() === st.name.toLowerCase()).flatMap((a) => checkpointRecords(a, st.id)),
  ]);
  const id = derivedId(`run:${run.id}:timeline`);
  const changed = [run.createdDate, run.finishedDate, ...stages.flatMap((s) => [s.startTime, s.finishTime]), ...approvals.map((a) => a.lastModifiedOn)]
    .filter((x): x is string => !!x).sort().pop();
  return {
    records, lastChangedBy: emu.state.ado.botIdentity.id, lastChangedOn: changed ?? run.createdDate, id, changeId: records.length,
    url: `${orgUrl(emu)}/${emu.state.ado.project.id}/_apis/build/builds/${run.id}/Timeline/${id}`,
  };
}

export function registerBuildTimelineRoutes(router: Router, emu: EmulatorContext): void {
  const handler = adoRoute(emu, (ctx) => {
    const run = emu.state.ado.runs.find((r) => r.id === Number(ctx.params['buildId']));
    const view = run ? timelineView(emu, run) : undefined;
    if (!view) return adoError(ctx, 404, 'BuildNotFoundException', `Build ${ctx.params['buildId'] ?? ''} not found.`);
    sendJson(ctx.res, 200, view);
  }, { requireVersion: true });
  router.add('GET', '/:org/:project/_apis/build/builds/:buildId/timeline', handler);
  router.add('GET', '/:org/:project/_apis/build/builds/:buildId/timeline/:timelineId', handler);
}
