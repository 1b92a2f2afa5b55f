import { isRefused } from '../../src/core/promotion/events';
import type { PromotionEvent, RefusalReason } from '../../src/core/promotion/events';
import { reduce } from '../../src/core/promotion/reducer';
import type { PromotionRequest } from '../../src/core/promotion/types';
import { alice, bob, created, ctxAt, draft, HOUR, kinds, ok, okOrder, passingGuard, prodEnv, T0 } from './promotion-helpers';
import { testSettings } from '../fakes/settings';

const later = new Date(T0.getTime() + HOUR);

describe('create', () => {
  it('awaits approval with an approval policy, posts the card and (ado gate) starts the release at once', () => {
    const t = ok(reduce(null, { type: 'create', draft, guard: passingGuard, order: okOrder }, ctxAt(prodEnv())));
    expect(t.request).toMatchObject({ state: 'awaiting_approval', revision: 1, minApprovals: 1, gate: 'ado', expiresAt: '2026-11-05T09:00:00.000Z' });
    expect(kinds(t)).toEqual(['post_approval_card', 'start_release']);
    expect(t.effects.find((e) => e.kind === 'post_approval_card')!.payload).toEqual({ requestId: 'PR-AAAAA', channels: ['slack:C0APPROVE'], giveUpAt: '2026-11-05T09:00:00.000Z' });
    expect(t.effects.map((e) => e.key)).toContain('PR-AAAAA:start_release');
    expect(t.audit).toEqual([expect.objectContaining({ action: 'promotion.requested', actor: 'slack:U0REQ', requestId: 'PR-AAAAA', env: 'prod' })]);
  });

  it('with a bot gate the release waits for the chat approval', () => {
    const t = ok(reduce(null, { type: 'create', draft, guard: passingGuard, order: okOrder }, ctxAt(prodEnv({ enforcedBy: 'bot' }))));
    expect(t.request.state).toBe('awaiting_approval');
    expect(kinds(t)).toEqual(['post_approval_card']);
  });

  it('without an approval policy goes straight to approved with a release start', () => {
    const preprod = testSettings().environments.find((e) => e.name === 'preprod')!;
    const t = ok(reduce(null, { type: 'create', draft: { ...draft, targetEnv: 'preprod' }, guard: passingGuard, order: okOrder }, ctxAt(preprod)));
    expect(t.request).toMatchObject({ state: 'approved', minApprovals: 0 });
    expect(t.request.gate).toBeUndefined();
    expect(kinds(t)).toEqual(['start_release']);
  });

  it.each([
    ['a failing guard', { ...passingGuard, passed: false, reason: 'rmse 7% worse' }, okOrder, 'rmse 7% worse'],
    ['a skipped environment', passingGuard, { allowed: false, reason: 'not in preprod yet' }, 'not in preprod yet'],
  ])('blocks on %s, with no card and no release', (_n, guard, order, failure) => {
    const t = ok(reduce(null, { type: 'create', draft, guard, order }, ctxAt(prodEnv())));
    expect(t.request).toMatchObject({ state: 'blocked', failure });
    expect(kinds(t)).toEqual([]);
    expect(t.audit[0].action).toBe('promotion.blocked');
  });
});

describe('approve', () => {
  it('one of one approvals: approved, Azure DevOps gate granted when known, requester told', () => {
    const r = { ...created(), release: { kind: 'classic' as const, id: 42, approvalId: 'appr-42' } };
    const t = ok(reduce(r, { type: 'approve', ...alice, comment: 'lgtm', isApprover: true }, ctxAt(prodEnv(), later)));
    expect(t.request).toMatchObject({ state: 'approved', revision: 2, updatedAt: later.toISOString() });
    expect(t.request.approvals).toEqual([{ by: alice.by, name: 'Alice', at: later.toISOString(), comment: 'lgtm' }]);
    const decide = t.effects.find((e) => e.kind === 'ado_decide')!;
    expect(decide.key).toBe('PR-AAAAA:ado_decide:approved');
    expect(decide.payload).toMatchObject({ approvalId: 'appr-42', decision: 'approved', comment: 'Approved via MLOps Bot by Alice (request PR-AAAAA)' });
    expect(kinds(t)).toEqual(['ado_decide', 'notify_requester', 'update_cards']);
    expect(t.audit[0]).toMatchObject({ action: 'promotion.approved', actor: alice.by });
  });

  it('before the gate is known, approval waits for the release poll to grant it', () => {
    const t = ok(reduce(created(), { type: 'approve', ...alice, isApprover: true }, ctxAt(prodEnv())));
    expect(t.request.state).toBe('approved');
    expect(kinds(t)).not.toContain('ado_decide');
  });

  it('with a bot gate, approval starts the release', () => {
    const env = prodEnv({ enforcedBy: 'bot' });
    const t = ok(reduce(created(env), { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(kinds(t)).toContain('start_release');
    expect(kinds(t)).not.toContain('ado_decide');
  });

  it('N-of-M: stays awaiting with 1 of 2 until the second approver', () => {
    const env = prodEnv({ minApprovals: 2 });
    const r = { ...created(env), release: { kind: 'classic' as const, id: 42, approvalId: 'appr-42' } };
    const first = ok(reduce(r, { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(first.request).toMatchObject({ state: 'awaiting_approval', revision: 2 });
    expect(kinds(first)).toEqual(['update_cards']);
    expect(first.audit[0]).toMatchObject({ action: 'promotion.approval_added', detail: expect.objectContaining({ approvals: 1, needed: 2 }) });
    const second = ok(reduce(first.request, { type: 'approve', ...bob, isApprover: true }, ctxAt(env)));
    expect(second.request.state).toBe('approved');
    expect(second.effects.find((e) => e.kind === 'ado_decide')!.payload.comment).toBe('Approved via MLOps Bot by Alice, Bob (request PR-AAAAA)');
  });

  it('the same approver twice counts once and changes nothing', () => {
    const env = prodEnv({ minApprovals: 2 });
    const first = ok(reduce(created(env), { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    const again = ok(reduce(first.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(again.request).toBe(first.request);
    expect(again.effects).toEqual([]);
    expect(again.audit).toEqual([]);
  });

  it('a double click after the final approval is a no-op, not an error', () => {
    const done = ok(reduce(created(), { type: 'approve', ...alice, isApprover: true }, ctxAt(prodEnv())));
    const again = ok(reduce(done.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(prodEnv())));
    expect(again.request).toBe(done.request);
  });

  it('the requester may approve when requesterCannotApprove is off', () => {
    const env = prodEnv({ requesterCannotApprove: false });
    const t = ok(reduce(created(env), { type: 'approve', by: draft.requester.id, name: 'Rita', isApprover: true }, ctxAt(env)));
    expect(t.request.state).toBe('approved');
  });
});

describe('reject and cancel', () => {
  it('reject ends the request and rejects the Azure DevOps gate with the reason', () => {
    const r = { ...created(), release: { kind: 'classic' as const, id: 42, approvalId: 'appr-42' } };
    const t = ok(reduce(r, { type: 'reject', ...bob, reason: 'metrics look off', isApprover: true }, ctxAt(prodEnv())));
    expect(t.request).toMatchObject({ state: 'rejected', gateRejectSent: true, rejection: { by: bob.by, name: 'Bob', comment: 'metrics look off' } });
    expect(t.effects.find((e) => e.kind === 'ado_decide')).toMatchObject({
      key: 'PR-AAAAA:ado_decide:rejected',
      payload: { decision: 'rejected', comment: 'Rejected via MLOps Bot by Bob (request PR-AAAAA): metrics look off' },
    });
    expect(kinds(t)).toEqual(['ado_decide', 'notify_requester', 'update_cards']);
  });

  it('reject before the gate is known leaves the gate rejection owed', () => {
    const t = ok(reduce(created(), { type: 'reject', ...bob, reason: 'no', isApprover: true }, ctxAt(prodEnv())));
    expect(t.request.gateRejectSent).toBeUndefined();
    expect(kinds(t)).not.toContain('ado_decide');
  });

  it.each([
    ['the requester', draft.requester.id, false, ['update_cards']],
    ['an admin', 'slack:U0ADMIN', true, ['notify_requester', 'update_cards']],
  ])('cancel by %s', (_n, by, isAdmin, effects) => {
    const t = ok(reduce(created(), { type: 'cancel', by, name: 'X', isAdmin }, ctxAt(prodEnv())));
    expect(t.request).toMatchObject({ state: 'cancelled', cancellation: { by } });
    expect(kinds(t)).toEqual(effects);
  });
});

describe('refusals (closed list)', () => {
  const awaiting = created();
  const approved = ok(reduce(awaiting, { type: 'approve', ...alice, isApprover: true }, ctxAt(prodEnv()))).request;
  const rejected = ok(reduce(awaiting, { type: 'reject', ...bob, reason: 'no', isApprover: true }, ctxAt(prodEnv()))).request;
  const cases: [string, PromotionRequest, PromotionEvent, RefusalReason, string][] = [
    ['approve by a non-approver', awaiting, { type: 'approve', by: 'slack:U0EVE', name: 'Eve', isApprover: false }, 'not_approver', 'forbidden'],
    ['self-approval', awaiting, { type: 'approve', by: draft.requester.id, name: 'Rita', isApprover: true }, 'self_approval', 'forbidden'],
    ['approve after rejection', rejected, { type: 'approve', ...alice, isApprover: true }, 'invalid_state', 'invalid_state'],
    ['approve by another once approved', approved, { type: 'approve', ...bob, isApprover: true }, 'invalid_state', 'invalid_state'],
    ['reject by a non-approver', awaiting, { type: 'reject', by: draft.requester.id, name: 'Rita', reason: 'x', isApprover: false }, 'not_approver', 'forbidden'],
    ['reject without a reason', awaiting, { type: 'reject', ...bob, reason: '  ', isApprover: true }, 'missing_reason', 'usage'],
    ['reject once approved', approved, { type: 'reject', ...bob, reason: 'late', isApprover: true }, 'invalid_state', 'invalid_state'],
    ['cancel by someone else', awaiting, { type: 'cancel', ...alice, isAdmin: false }, 'not_requester', 'forbidden'],
    ['cancel once approved', approved, { type: 'cancel', by: draft.requester.id, name: 'Rita', isAdmin: false }, 'invalid_state', 'invalid_state'],
    ['create over an existing request', awaiting, { type: 'create', draft, guard: passingGuard, order: okOrder }, 'duplicate_request', 'conflict'],
  ];
  it.each(cases)('%s', (_n, request, event, reason, code) => {
    const r = reduce(request, event, ctxAt(prodEnv()));
    if (!isRefused(r)) throw new Error('expected a refusal');
    expect(r.refused).toMatchObject({ reason, code });
    expect(r.refused.message.length).toBeGreaterThan(10);
    expect(r.refused.remedy.length).toBeGreaterThan(5);
  });
});
