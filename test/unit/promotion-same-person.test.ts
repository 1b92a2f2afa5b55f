/** One person on two platforms: the same email makes Slack and Teams identities one person. */
import { isRefused } from '../../src/core/promotion/events';
import { samePerson } from '../../src/core/promotion/reduce-decisions';
import { reduce } from '../../src/core/promotion/reducer';
import { ctxAt, draft, ok, okOrder, passingGuard, prodEnv } from './promotion-helpers';

function requestedBy(email: string | undefined, minApprovals = 1) {
  const env = prodEnv({ minApprovals });
  const d = { ...draft, requester: { ...draft.requester, ...(email ? { email } : {}) } };
  return { env, request: ok(reduce(null, { type: 'create', draft: d, guard: passingGuard, order: okOrder }, ctxAt(env))).request };
}

describe('the same person on Slack and Teams', () => {
  it('matches on the platform id, or on the email when both sides know it (case-insensitive)', () => {
    expect(samePerson({ id: 'slack:U1' }, { id: 'slack:U1' })).toBe(true);
    expect(samePerson({ id: 'slack:U1', email: 'Carol@Contoso.com' }, { id: 'teams:abc', email: 'carol@contoso.com' })).toBe(true);
    expect(samePerson({ id: 'slack:U1', email: 'carol@contoso.com' }, { id: 'teams:abc' })).toBe(false);
    expect(samePerson({ id: 'slack:U1', email: 'carol@contoso.com' }, { id: 'teams:abc', email: 'dave@contoso.com' })).toBe(false);
  });

  it('cannot approve on Teams what they requested on Slack', () => {
    const { env, request } = requestedBy('carol@contoso.com');
    const r = reduce(request, { type: 'approve', by: 'teams:aad-carol', name: 'Carol (Teams)', email: 'carol@contoso.com', isApprover: true }, ctxAt(env));
    expect(isRefused(r) && r.refused.reason).toBe('self_approval');
  });

  it('counts once towards N-of-M when approving from both platforms', () => {
    const { env, request } = requestedBy(undefined, 2);
    const first = ok(reduce(request, { type: 'approve', by: 'slack:U0ALICE', name: 'Alice', email: 'alice@contoso.com', isApprover: true }, ctxAt(env))).request;
    const again = ok(reduce(first, { type: 'approve', by: 'teams:aad-alice', name: 'Alice (Teams)', email: 'ALICE@contoso.com', isApprover: true }, ctxAt(env)));
    expect(again.request).toBe(first);
    expect(again.request.approvals).toHaveLength(1);
    expect(again.effects).toEqual([]);
  });

  it('still lets another person approve', () => {
    const { env, request } = requestedBy('carol@contoso.com');
    const t = ok(reduce(request, { type: 'approve', by: 'teams:aad-alice', name: 'Alice', email: 'alice@contoso.com', isApprover: true }, ctxAt(env)));
    expect(t.request.state).toBe('approved');
    expect(t.request.approvals[0]).toMatchObject({ by: 'teams:aad-alice', email: 'alice@contoso.com' });
  });
});
