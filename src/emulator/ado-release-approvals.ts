/** Release approvals: list (pending by default) and decide. Deciding lets the release proceed. */
import { adoError, adoRoute, APPROVAL_STATUS, APPROVAL_TYPE, collection, enumName } from './ado-common';
import { adoActor, mayDecide, refuseNotApprover } from './ado-actor';
import { approvalView } from './ado-release-views';
import type { ReleaseApprovalRec } from './ado-types';
import { asRecord } from './arm-common';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { stepRelease } from './release-sim';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';

const AREA = '/:org/:project/_apis/Release';

/** Assigned to the identity named, or to a group it is a member of (`includeMyGroupApprovals`). */
function matchesAssignee(emu: EmulatorContext, ap: ReleaseApprovalRec, filter: string | undefined): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  if ([ap.approver.id, ap.approver.uniqueName, ap.approver.displayName].some((v) => v.toLowerCase() === f)) return true;
  const group = (emu.state.ado.groups ?? []).find((g) => g.id === ap.approver.id);
  return group !== undefined && group.members.some((m) => m.toLowerCase() === f);
}

function listApprovals(ctx: Ctx, emu: EmulatorContext): void {
  const status = enumName(queryParam(ctx.query, 'statusFilter') ?? 'pending', APPROVAL_STATUS);
  const type = enumName(queryParam(ctx.query, 'typeFilter'), APPROVAL_TYPE);
  const releaseIds = queryParam(ctx.query, 'releaseIdsFilter')?.split(',').filter(Boolean).map(Number);
  const ascending = enumName(queryParam(ctx.query, 'queryOrder'), { 0: 'descending', 1: 'ascending' }) === 'ascending';
  let rows = emu.state.ado.approvals.filter((a) => (status === 'undefined' || a.status === status)
    && (!type || type === 'all' || type === 'undefined' || a.approvalType === type)
    && (!releaseIds || releaseIds.includes(a.releaseId))
    && matchesAssignee(emu, a, queryParam(ctx.query, 'assignedToFilter')));
  rows = rows.sort((a, b) => (ascending ? a.id - b.id : b.id - a.id));
  const token = Number(queryParam(ctx.query, 'continuationToken') ?? 0);
  if (token > 0) rows = rows.filter((a) => (ascending ? a.id >= token : a.id <= token));
  const top = Number(queryParam(ctx.query, 'top') ?? 50) || 50;
  const headers: Record<string, string> = rows.length > top ? { 'x-ms-continuationtoken': String(rows[top]?.id) } : {};
  sendJson(ctx.res, 200, collection(rows.slice(0, top).map((a) => approvalView(emu, a))), headers);
}

function findApproval(ctx: Ctx, emu: EmulatorContext): ReleaseApprovalRec | undefined {
  const ap = emu.state.ado.approvals.find((a) => a.id === Number(ctx.params['approvalId']));
  if (!ap) adoError(ctx, 404, 'ReleaseManagementObjectNotFoundException', `VS402866: Approval with id ${ctx.params['approvalId'] ?? ''} does not exist.`);
  return ap;
}

function updateApproval(ctx: Ctx, emu: EmulatorContext): void {
  const ap = findApproval(ctx, emu);
  if (!ap) return;
  const body = asRecord(ctx.body);
  const status = enumName(body['status'], APPROVAL_STATUS);
  if (status !== 'approved' && status !== 'rejected') {
    adoError(ctx, 400, 'InvalidRequestException', `VS402882: Status must be approved or rejected, not '${String(body['status'])}'.`);
    return;
  }
  if (ap.status !== 'pending') {
    adoError(ctx, 400, 'InvalidRequestException', `VS402870: Approval ${ap.id} has already been ${ap.status}; only pending approvals can be updated.`);
    return;
  }
  const actor = adoActor(ctx, emu);
  if (!mayDecide(emu, ap.approver, actor)) return refuseNotApprover(ctx, actor, ap.approver, `approval ${ap.id}`);
  const now = emu.clock.now().getTime();
  ap.status = status;
  ap.comments = String(body['comments'] ?? '');
  ap.approvedBy = actor;
  ap.modifiedOn = isoAt(now);
  ap.revision += 1;
  const rel = emu.state.ado.releases.find((r) => r.id === ap.releaseId);
  if (rel) stepRelease(emu, rel, now);
  emu.persist();
  sendJson(ctx.res, 200, approvalView(emu, ap));
}

export function registerReleaseApprovalRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${AREA}/approvals`, adoRoute(emu, (ctx) => listApprovals(ctx, emu)));
  router.add('GET', `${AREA}/approvals/:approvalId`, adoRoute(emu, (ctx) => {
    const ap = findApproval(ctx, emu);
    if (ap) sendJson(ctx.res, 200, approvalView(emu, ap));
  }));
  router.add('PATCH', `${AREA}/approvals/:approvalId`, adoRoute(emu, (ctx) => updateApproval(ctx, emu)));
}
