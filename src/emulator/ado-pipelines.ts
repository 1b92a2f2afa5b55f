/** YAML pipelines: list/get, run/get run/list runs, and the REST-only environment-check approvals. */
import { adoApiVersion, adoError, adoRoute, CHECK_APPROVAL_STATUS, collection, enumName } from './ado-common';
import { adoActor, mayDecide, refuseNotApprover } from './ado-actor';
import { checkApprovalView, pipelineListItem, pipelineView, runView } from './ado-pipelines-views';
import type { CheckApprovalRec, PipelineRec, PipelineRunRec } from './ado-types';
import { asRecord, stringMap } from './arm-common';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { startRun, stepRun } from './pipeline-sim';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';

const AREA = '/:org/:project/_apis/pipelines';

function findPipeline(ctx: Ctx, emu: EmulatorContext): PipelineRec | undefined {
  const p = emu.state.ado.pipelines.find((x) => x.id === Number(ctx.params['pipelineId']));
  if (!p) adoError(ctx, 404, 'PipelineNotFoundException', `Pipeline with id ${ctx.params['pipelineId'] ?? ''} not found.`);
  return p;
}

function runName(emu: EmulatorContext, at: number, pipelineId: number): string {
  const day = isoAt(at).slice(0, 10).replace(/-/g, '');
  const sameDay = emu.state.ado.runs.filter((r) => r.pipelineId === pipelineId && r.name.startsWith(`${day}.`)).length;
  return `${day}.${sameDay + 1}`;
}

function runPipeline(ctx: Ctx, emu: EmulatorContext): void {
  const p = findPipeline(ctx, emu);
  if (!p) return;
  const body = asRecord(ctx.body);
  const params = stringMap(body['templateParameters']);
  const unexpected = Object.keys(params).filter((k) => !p.parameters.includes(k));
  if (unexpected.length) {
    adoError(ctx, 400, 'PipelineValidationException', unexpected.map((k) => `/${p.yamlPath} : Unexpected parameter '${k}'`).join('\n'));
    return;
  }
  if (body['previewRun'] === true) {
    sendJson(ctx.res, 200, { finalYaml: `# ${p.name}\nparameters:\n${Object.entries(params).map(([k, v]) => `- name: ${k}\n  default: ${v}`).join('\n')}\n` });
    return;
  }
  const variables: PipelineRunRec['variables'] = {};
  for (const [k, raw] of Object.entries(asRecord(body['variables']))) {
    const v = asRecord(raw);
    variables[k] = { value: String(v['value'] ?? ''), ...(v['isSecret'] ? { isSecret: true } : {}) };
  }
  const repos = asRecord(asRecord(body['resources'])['repositories']);
  const refName = String(asRecord(repos['self'])['refName'] ?? 'refs/heads/main');
  const now = emu.clock.now().getTime();
  emu.state.ado.counters.run += 1;
  const run: PipelineRunRec = {
    id: emu.state.ado.counters.run, pipelineId: p.id, name: runName(emu, now, p.id), state: 'inProgress',
    createdDate: isoAt(now), templateParameters: params, variables, refName,
    stagesToSkip: Array.isArray(body['stagesToSkip']) ? (body['stagesToSkip'] as unknown[]).map(String) : [], stageIndex: 0,
  };
  emu.state.ado.runs.push(run);
  startRun(emu, p, run);
  stepRun(emu, run, now);
  emu.persist();
  sendJson(ctx.res, 200, runView(emu, run, p));
}

/** The `pipeline` block arrived with 7.2-preview.2; older versions answer without it. */
function wantsPipelineBlock(ctx: Ctx): boolean {
  const m = /^(\d+)\.(\d+)(?:-preview(?:\.(\d+))?)?/.exec(adoApiVersion(ctx) ?? '');
  if (!m) return false;
  const version = Number(m[1]) + Number(m[2]) / 10;
  return version > 7.2 || (version === 7.2 && (m[3] === undefined || Number(m[3]) >= 2));
}

function listCheckApprovals(ctx: Ctx, emu: EmulatorContext): void {
  const ids = queryParam(ctx.query, 'approvalIds')?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const state = queryParam(ctx.query, 'state');
  const wantedState = state ? enumName(state, CHECK_APPROVAL_STATUS) : undefined;
  const steps = (queryParam(ctx.query, '$expand') ?? '').toLowerCase().includes('steps');
  const top = Number(queryParam(ctx.query, 'top') ?? 0) || undefined;
  const rows = emu.state.ado.checkApprovals
    .filter((a) => (!ids || ids.includes(a.id)) && (!wantedState || a.status === wantedState))
    .sort((a, b) => b.createdOn.localeCompare(a.createdOn))
    .slice(0, top);
  sendJson(ctx.res, 200, collection(rows.map((a) => checkApprovalView(emu, a, steps, wantsPipelineBlock(ctx)))));
}

function decideCheckApprovals(ctx: Ctx, emu: EmulatorContext): void {
  if (!Array.isArray(ctx.body) || ctx.body.length === 0) {
    adoError(ctx, 400, 'InvalidRequestException', 'The request body must be an array of {approvalId, status, comment}.');
    return;
  }
  const updates = (ctx.body as unknown[]).map(asRecord);
  const actor = adoActor(ctx, emu);
  const targets: [CheckApprovalRec, 'approved' | 'rejected', string][] = [];
  for (const u of updates) {
    const ap = emu.state.ado.checkApprovals.find((a) => a.id.toLowerCase() === String(u['approvalId'] ?? '').toLowerCase());
    if (!ap) return adoError(ctx, 404, 'ApprovalNotFoundException', `Approval ${String(u['approvalId'])} not found.`);
    const status = enumName(u['status'], CHECK_APPROVAL_STATUS);
    if (status !== 'approved' && status !== 'rejected') return adoError(ctx, 400, 'InvalidRequestException', `Invalid approval status '${String(u['status'])}'.`);
    if (ap.status !== 'pending') return adoError(ctx, 400, 'ApprovalAlreadyCompletedException', `Approval ${ap.id} is already ${ap.status}.`);
    if (!mayDecide(emu, ap.approver, actor)) return refuseNotApprover(ctx, actor, ap.approver, `approval ${ap.id}`);
    targets.push([ap, status, String(u['comment'] ?? '')]);
  }
  const now = emu.clock.now().getTime();
  for (const [ap, status, comment] of targets) {
    Object.assign(ap, { status, comment, actualApprover: actor, lastModifiedOn: isoAt(now) });
    const run = emu.state.ado.runs.find((r) => r.id === ap.runId);
    if (run) stepRun(emu, run, now);
  }
  emu.persist();
  sendJson(ctx.res, 200, collection(targets.map(([ap]) => checkApprovalView(emu, ap, true, wantsPipelineBlock(ctx)))));
}

export function registerPipelineRoutes(router: Router, emu: EmulatorContext): void {
  // Approvals first: `approvals` would otherwise match the `{pipelineId}` route.
  router.add('GET', `${AREA}/approvals`, adoRoute(emu, (ctx) => listCheckApprovals(ctx, emu), { requireVersion: true }));
  router.add('PATCH', `${AREA}/approvals`, adoRoute(emu, (ctx) => decideCheckApprovals(ctx, emu), { requireVersion: true }));
  router.add('GET', `${AREA}/approvals/:approvalId`, adoRoute(emu, (ctx) => {
    const ap = emu.state.ado.checkApprovals.find((a) => a.id.toLowerCase() === (ctx.params['approvalId'] ?? '').toLowerCase());
    if (!ap) return adoError(ctx, 404, 'ApprovalNotFoundException', `Approval ${ctx.params['approvalId'] ?? ''} not found.`);
    const steps = (queryParam(ctx.query, '$expand') ?? '').toLowerCase().includes('steps');
    sendJson(ctx.res, 200, checkApprovalView(emu, ap, steps, wantsPipelineBlock(ctx)));
  }, { requireVersion: true }));
  router.add('GET', AREA, adoRoute(emu, (ctx) => {
    sendJson(ctx.res, 200, collection(emu.state.ado.pipelines.map((p) => pipelineListItem(emu, p))));
  }));
  router.add('GET', `${AREA}/:pipelineId`, adoRoute(emu, (ctx) => {
    const p = findPipeline(ctx, emu);
    if (p) sendJson(ctx.res, 200, pipelineView(emu, p));
  }));
  router.add('POST', `${AREA}/:pipelineId/runs`, adoRoute(emu, (ctx) => runPipeline(ctx, emu)));
  router.add('GET', `${AREA}/:pipelineId/runs`, adoRoute(emu, (ctx) => {
    const p = findPipeline(ctx, emu);
    if (!p) return;
    const runs = emu.state.ado.runs.filter((r) => r.pipelineId === p.id).sort((a, b) => b.id - a.id);
    sendJson(ctx.res, 200, collection(runs.map((r) => runView(emu, r, p))));
  }));
  router.add('GET', `${AREA}/:pipelineId/runs/:runId`, adoRoute(emu, (ctx) => {
    const p = findPipeline(ctx, emu);
    if (!p) return;
    const run = emu.state.ado.runs.find((r) => r.pipelineId === p.id && r.id === Number(ctx.params['runId']));
    if (!run) return adoError(ctx, 404, 'PipelineRunNotFoundException', `Run ${ctx.params['runId'] ?? ''} of pipeline ${p.id} not found.`);
    sendJson(ctx.res, 200, runView(emu, run, p));
  }));
}
