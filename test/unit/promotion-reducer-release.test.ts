import type { ReleaseState, ReleaseStatus } from '../../src/core/models';
import { reduce } from '../../src/core/promotion/reducer';
import type { PromotionRequest } from '../../src/core/promotion/types';
import { testSettings } from '../fakes/settings';
import { alice, bob, created, ctxAt, draft, HOUR, kinds, ok, okOrder, passingGuard, prodEnv, T0 } from './promotion-helpers';

const ref = { kind: 'classic' as const, id: 42, name: 'Release-42', url: 'https://dev.azure.com/o/p/_releaseProgress?releaseId=42' };
const status = (state: ReleaseState, extra: Partial<ReleaseStatus> = {}): ReleaseStatus => ({ ref, state, stages: [{ name: 'prod', state }], ...extra });
const env = prodEnv();
const at = (h: number) => ctxAt(env, new Date(T0.getTime() + h * HOUR));

function started(): PromotionRequest {
  return ok(reduce(created(), { type: 'release_started', ref }, at(0))).request;
}
function gated(): PromotionRequest {
  return ok(reduce(started(), { type: 'release_status', status: status('awaiting_approval', { pendingApprovalId: 'appr-42' }) }, at(0))).request;
}
function approvedInChat(r: PromotionRequest): PromotionRequest {
  return ok(reduce(r, { type: 'approve', ...alice, isApprover: true }, at(1))).request;
}

describe('release events', () => {
  it('release_started records the release; an awaiting request keeps waiting at the gate', () => {
    const t = ok(reduce(created(), { type: 'release_started', ref }, at(0)));
    expect(t.request).toMatchObject({ state: 'awaiting_approval', release: ref, revision: 2 });
    expect(t.audit[0].action).toBe('promotion.release_started');
    expect(ok(reduce(t.request, { type: 'release_started', ref }, at(0))).request).toBe(t.request);
  });

  it('release_started moves an approved request to releasing', () => {
    const preprod = testSettings().environments.find((e) => e.name === 'preprod')!;
    const r = ok(reduce(null, { type: 'create', draft: { ...draft, targetEnv: 'preprod' }, guard: passingGuard, order: okOrder }, ctxAt(preprod))).request;
    expect(ok(reduce(r, { type: 'release_started', ref }, ctxAt(preprod))).request.state).toBe('releasing');
  });

  it('the pending Azure DevOps approval is recorded once; a repeat poll changes nothing', () => {
    const r = gated();
    expect(r.release).toMatchObject({ approvalId: 'appr-42', lastState: 'awaiting_approval' });
    expect(r.state).toBe('awaiting_approval');
    const again = ok(reduce(r, { type: 'release_status', status: status('awaiting_approval', { pendingApprovalId: 'appr-42' }) }, at(0)));
    expect(again.request).toBe(r);
  });

  it('approved in chat before the gate was seen: the poll that finds the gate grants it', () => {
    const approved = approvedInChat(started());
    expect(approved.state).toBe('approved');
    const t = ok(reduce(approved, { type: 'release_status', status: status('awaiting_approval', { pendingApprovalId: 'appr-42' }) }, at(1)));
    expect(t.effects.find((e) => e.kind === 'ado_decide')).toMatchObject({ key: 'PR-AAAAA:ado_decide:approved', payload: { approvalId: 'appr-42', decision: 'approved' } });
  });

  it('in_progress after the chat approval: releasing', () => {
    const t = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status('in_progress') }, at(2)));
    expect(t.request.state).toBe('releasing');
    expect(t.request.adoDecision).toBeUndefined();
  });

  it('succeeded: tags the version in the source workspace with mlops-env-<env> = ISO time', () => {
    const releasing = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status('in_progress') }, at(2))).request;
    const t = ok(reduce(releasing, { type: 'release_status', status: status('succeeded') }, at(3)));
    expect(t.request.state).toBe('succeeded');
    expect(t.effects.find((e) => e.kind === 'tag_model')).toMatchObject({
      key: 'PR-AAAAA:tag_model',
      payload: { env: 'dev', model: 'taxi-model', version: '5', tags: { 'mlops-env-prod': '2026-11-02T12:00:00.000Z' } },
    });
    expect(kinds(t)).toEqual(['notify_requester', 'tag_model', 'update_cards']);
  });

  it.each([['failed', 'release 42 failed in Azure DevOps'], ['canceled', 'release 42 was canceled in Azure DevOps']] as const)('%s in Azure DevOps: failed', (state, failure) => {
    const t = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status(state) }, at(2)));
    expect(t.request).toMatchObject({ state: 'failed', failure });
  });

  it('the stage error is kept as the failure', () => {
    const t = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status('failed', { error: 'deployment timed out' }) }, at(2)));
    expect(t.request.failure).toBe('deployment timed out');
  });

  it('approved in the Azure DevOps web UI (the gate names its decider): the card follows', () => {
    const t = ok(reduce(gated(), { type: 'release_status', status: status('in_progress', { decidedBy: 'Dana' }) }, at(2)));
    expect(t.request).toMatchObject({ state: 'releasing', adoDecision: { decision: 'approved', by: 'Dana' } });
    expect(t.audit[0]).toMatchObject({ action: 'promotion.approved_in_ado', actor: 'ado:Dana' });
  });

  it.each(['in_progress', 'queued'] as const)('%s with no decision on record in Azure DevOps is not an approval', (state) => {
    const t = ok(reduce(gated(), { type: 'release_status', status: status(state) }, at(2)));
    expect(t.request).toMatchObject({ state: 'awaiting_approval', approvals: [], release: { lastState: state, approvalId: 'appr-42' } });
    expect(t.request.adoDecision).toBeUndefined();
    expect(t.audit[0].action).toBe('promotion.release_progress');
    expect(kinds(t)).not.toContain('notify_requester');
    expect(ok(reduce(t.request, { type: 'release_status', status: status(state) }, at(3))).request).toBe(t.request);
    // The chat approval still decides, and the release then follows.
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, at(3))).request;
    expect(approved.state).toBe('approved');
    expect(ok(reduce(approved, { type: 'release_status', status: status('in_progress') }, at(4))).request.state).toBe('releasing');
  });

  it('a release that succeeds with no approval on record is followed, but no Azure DevOps approval is invented', () => {
    const t = ok(reduce(gated(), { type: 'release_status', status: status('succeeded') }, at(2)));
    expect(t.request.state).toBe('succeeded');
    expect(t.request.adoDecision).toBeUndefined();
    expect(t.audit[0].action).toBe('promotion.succeeded');
  });

  it('rejected in the Azure DevOps web UI: rejected, no gate decision sent back', () => {
    const t = ok(reduce(gated(), { type: 'release_status', status: status('rejected', { decidedBy: 'Dana' }) }, at(2)));
    expect(t.request).toMatchObject({ state: 'rejected', rejection: { name: 'Dana' }, adoDecision: { decision: 'rejected' } });
    expect(kinds(t)).not.toContain('ado_decide');
  });

  it('a gate that appears after a chat rejection is rejected once', () => {
    const rejected = ok(reduce(started(), { type: 'reject', ...bob, reason: 'no', isApprover: true }, at(1))).request;
    const t = ok(reduce(rejected, { type: 'release_status', status: status('awaiting_approval', { pendingApprovalId: 'appr-42' }) }, at(2)));
    expect(t.request).toMatchObject({ state: 'rejected', gateRejectSent: true });
    expect(t.effects.find((e) => e.kind === 'ado_decide')!.payload).toMatchObject({ decision: 'rejected', comment: 'Rejected via MLOps Bot by Bob (request PR-AAAAA): no' });
    const again = ok(reduce(t.request, { type: 'release_status', status: status('awaiting_approval', { pendingApprovalId: 'appr-42' }) }, at(3)));
    expect(again.request).toBe(t.request);
  });

  it('stage progress while releasing is recorded only when it moves', () => {
    const releasing = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status('in_progress') }, at(2))).request;
    expect(ok(reduce(releasing, { type: 'release_status', status: status('in_progress') }, at(3))).request).toBe(releasing);
  });

  it('an ended request ignores later release news', () => {
    const done = ok(reduce(approvedInChat(gated()), { type: 'release_status', status: status('failed') }, at(2))).request;
    expect(ok(reduce(done, { type: 'release_status', status: status('succeeded') }, at(3))).request).toBe(done);
  });
});

describe('a YAML pipeline run (the target stage is what the status reports)', () => {
  const run = { kind: 'pipeline' as const, id: 73, name: '20261102.1' };
  const stages = (dev: string, preprod: string, prod: string) => [
    { name: 'DeployDev', state: dev }, { name: 'DeployPreprod', state: preprod }, { name: 'DeployProd', state: prod },
  ] as ReleaseStatus['stages'];
  const poll = (r: PromotionRequest, s: Partial<ReleaseStatus> & Pick<ReleaseStatus, 'state'>, h: number) =>
    ok(reduce(r, { type: 'release_status', status: { ref: run, stages: [], ...s } }, at(h))).request;

  it('earlier stages running keep the request waiting; N-of-M is still needed after the gate appears', () => {
    const env2 = prodEnv({ minApprovals: 2 });
    const ctx2 = (h: number) => ctxAt(env2, new Date(T0.getTime() + h * HOUR));
    let r = ok(reduce(created(env2), { type: 'release_started', ref: run }, ctx2(0))).request;
    const step2 = (s: Partial<ReleaseStatus> & Pick<ReleaseStatus, 'state'>, h: number) =>
      ok(reduce(r, { type: 'release_status', status: { ref: run, stages: [], ...s } }, ctx2(h))).request;
    r = step2({ state: 'queued', stages: stages('in_progress', 'not_started', 'not_started') }, 0);
    r = step2({ state: 'queued', stages: stages('succeeded', 'in_progress', 'not_started') }, 0.1);
    expect(r.state).toBe('awaiting_approval');
    r = step2({ state: 'awaiting_approval', pendingApprovalId: 'gate-prod', stages: stages('succeeded', 'succeeded', 'not_started') }, 0.2);
    expect(r).toMatchObject({ state: 'awaiting_approval', release: { approvalId: 'gate-prod' } });
    const one = ok(reduce(r, { type: 'approve', ...alice, isApprover: true }, ctx2(1)));
    expect(one.request.state).toBe('awaiting_approval');
    expect(kinds(one)).not.toContain('ado_decide');
    const two = ok(reduce(one.request, { type: 'approve', ...bob, isApprover: true }, ctx2(2)));
    expect(two.request.state).toBe('approved');
    expect(two.effects.find((e) => e.kind === 'ado_decide')!.payload).toMatchObject({ approvalId: 'gate-prod', decision: 'approved', ref: { kind: 'pipeline', id: 73 } });
  });

  it('the prod check approved in the Azure DevOps web UI moves the request on, labelled as a run', () => {
    let r = ok(reduce(created(), { type: 'release_started', ref: run }, at(0))).request;
    r = poll(r, { state: 'awaiting_approval', pendingApprovalId: 'gate-prod' }, 0);
    const t = ok(reduce(r, { type: 'release_status', status: { ref: run, stages: [], state: 'in_progress', decidedBy: 'Dana' } }, at(1)));
    expect(t.request).toMatchObject({ state: 'releasing', adoDecision: { by: 'Dana' } });
    expect(t.effects.find((e) => e.kind === 'notify_requester')!.payload.text).toBe('PR-AAAAA was approved in Azure DevOps by Dana; run 73 is deploying.');
  });
});

describe('tick: expiry and reminders (fake clock)', () => {
  const env24 = prodEnv({ remindEveryMs: 24 * HOUR, expiresAfterMs: 72 * HOUR });
  const tickAt = (r: PromotionRequest, h: number) => reduce(r, { type: 'tick' }, ctxAt(env24, new Date(T0.getTime() + h * HOUR)));

  it('reminds every 24h while waiting, at most until expiry, then expires', () => {
    let r = gated();
    const reminders: string[] = [];
    for (let h = 1; h <= 80; h++) {
      const t = ok(tickAt(r, h));
      for (const e of t.effects.filter((x) => x.kind === 'remind_approvers')) reminders.push(`${h}:${e.key}`);
      r = t.request;
    }
    expect(reminders).toEqual(['24:PR-AAAAA:remind_approvers:1', '48:PR-AAAAA:remind_approvers:2']);
    expect(r).toMatchObject({ state: 'expired', remindersSent: 2, gateRejectSent: true });
  });

  it('expiry rejects the known gate and tells the requester', () => {
    const t = ok(tickAt(gated(), 72));
    expect(t.request.state).toBe('expired');
    expect(t.effects.find((e) => e.kind === 'ado_decide')!.payload.comment).toBe('Rejected via MLOps Bot by MLOps Bot (request PR-AAAAA): approval expired');
    expect(kinds(t)).toContain('notify_requester');
  });

  it('a quiet tick changes nothing; reminders off means none', () => {
    const r = gated();
    expect(ok(tickAt(r, 5)).request).toBe(r);
    const noReminders = prodEnv({ remindEveryMs: 0 });
    expect(ok(reduce(r, { type: 'tick' }, ctxAt(noReminders, new Date(T0.getTime() + 30 * HOUR)))).request).toBe(r);
  });

  it('missed reminders are not sent in a burst', () => {
    const t = ok(tickAt(gated(), 60));
    expect(t.effects.filter((e) => e.kind === 'remind_approvers')).toHaveLength(1);
    expect(ok(tickAt(t.request, 61)).request).toBe(t.request);
  });

  it.each([
    ['approve', { type: 'approve' as const, ...alice, isApprover: true }, 'Cannot approve PR-AAAAA: it expired at 2026-11-05 09:00 UTC, before your approval arrived, so it was not counted.'],
    ['reject', { type: 'reject' as const, ...bob, reason: 'no', isApprover: true }, 'Cannot reject PR-AAAAA: it expired at 2026-11-05 09:00 UTC, before your rejection arrived, so it was not counted.'],
    ['cancel', { type: 'cancel' as const, by: draft.requester.id, name: 'Rita', isAdmin: false }, 'Cannot cancel PR-AAAAA: it expired at 2026-11-05 09:00 UTC, before your cancellation arrived, so it was not counted.'],
  ])('%s arriving at or after expiresAt (before any tick): the request expires and the decision is refused', (_verb, event, message) => {
    const r = gated();
    expect(r.expiresAt).toBe('2026-11-05T09:00:00.000Z');
    const t = ok(reduce(r, event, ctxAt(env24, new Date(Date.parse(r.expiresAt!)))));
    expect(t.request).toMatchObject({ state: 'expired', approvals: [], gateRejectSent: true });
    expect(t.request.rejection).toBeUndefined();
    expect(t.request.cancellation).toBeUndefined();
    expect(t.refusal).toMatchObject({ reason: 'invalid_state', code: 'invalid_state', message });
    expect(t.refusal!.remedy).toBe('Start a new request with: promote taxi-model prod --version 5');
    expect(t.audit.map((a) => a.action)).toEqual(['promotion.expired']);
    expect(t.effects.find((e) => e.kind === 'ado_decide')!.payload).toMatchObject({ decision: 'rejected', comment: 'Rejected via MLOps Bot by MLOps Bot (request PR-AAAAA): approval expired' });
    // Once expired, the same decision is an ordinary refusal.
    const again = reduce(t.request, event, ctxAt(env24, new Date(Date.parse(r.expiresAt!) + 1)));
    expect(again).toMatchObject({ refused: { reason: 'invalid_state', message: expect.stringContaining('has expired') } });
  });

  it('an approval a moment before expiresAt counts; the second of two after it does not', () => {
    const env2 = prodEnv({ minApprovals: 2, expiresAfterMs: 72 * HOUR });
    const expiresAt = T0.getTime() + 72 * HOUR;
    const r = created(env2);
    const first = ok(reduce(r, { type: 'approve', ...alice, isApprover: true }, ctxAt(env2, new Date(expiresAt - 1))));
    expect(first.refusal).toBeUndefined();
    expect(first.request).toMatchObject({ state: 'awaiting_approval', approvals: [{ name: 'Alice' }] });
    const second = ok(reduce(first.request, { type: 'approve', ...bob, isApprover: true }, ctxAt(env2, new Date(expiresAt))));
    expect(second.request).toMatchObject({ state: 'expired', approvals: [{ name: 'Alice' }] });
    expect(second.refusal?.reason).toBe('invalid_state');
    expect(kinds(second)).not.toContain('start_release');
  });

  it('a late decision by someone not allowed is refused as such, without expiring the request', () => {
    const r = gated();
    const late = ctxAt(env24, new Date(Date.parse(r.expiresAt!) + HOUR));
    expect(reduce(r, { type: 'approve', by: 'slack:U0EVE', name: 'Eve', isApprover: false }, late)).toMatchObject({ refused: { reason: 'not_approver' } });
  });

  it('ticks do nothing to requests that are not waiting', () => {
    const approved = approvedInChat(gated());
    expect(ok(tickAt(approved, 100)).request).toBe(approved);
  });
});

describe('every transition', () => {
  it('increments revision, sets updatedAt and writes one audit draft', () => {
    const steps: [PromotionRequest, Parameters<typeof reduce>[1], number][] = [
      [created(), { type: 'release_started', ref }, 1],
      [gated(), { type: 'approve', ...alice, isApprover: true }, 2],
      [gated(), { type: 'reject', ...bob, reason: 'no', isApprover: true }, 3],
      [gated(), { type: 'cancel', by: draft.requester.id, name: 'Rita', isAdmin: false }, 4],
      [gated(), { type: 'tick' }, 80],
      [gated(), { type: 'release_status', status: status('in_progress') }, 5],
    ];
    for (const [r, event, h] of steps) {
      const t = ok(reduce(r, event, at(h)));
      expect(t.request.revision).toBe(r.revision + 1);
      expect(t.request.updatedAt).toBe(new Date(T0.getTime() + h * HOUR).toISOString());
      expect(t.audit).toHaveLength(1);
      expect(t.audit[0].detail).toMatchObject({ revision: t.request.revision, to: t.request.state });
    }
  });
});
