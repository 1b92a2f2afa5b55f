import type { PromotionRequest } from '../../src/core/promotion/types';
import { buildPromotionView } from '../../src/core/promotion/view';

const base: PromotionRequest = {
  id: 'PR-7K3QX', revision: 1, model: 'taxi-model', version: '5', sourceEnv: 'dev', targetEnv: 'prod',
  requester: { id: 'slack:U0REQ', name: 'Rita' }, reason: 'better rmse', state: 'awaiting_approval', approvals: [], minApprovals: 2,
  createdAt: '2026-11-02T09:00:00.000Z', updatedAt: '2026-11-02T09:00:00.000Z', expiresAt: '2026-11-05T09:00:00.000Z', remindersSent: 0,
  guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02, candidate: 0.4912, baseline: 0.5, baselineVersion: '4', regression: -0.0176, passed: true, reason: 'rmse 0.4912 vs 0.5 (v4 in prod): 1.8% better' },
  gate: 'ado',
};
const alice = { by: 'slack:U0ALICE', name: 'Alice', at: base.createdAt };
const bob = { by: 'slack:U0BOB', name: 'Bob', at: base.createdAt };
const release = { kind: 'classic' as const, id: 42, url: 'https://dev.azure.com/o/p/_releaseProgress?releaseId=42' };

describe('promotion card view', () => {
  it('while awaiting: title, N-of-M label, facts, guard row and the two buttons', () => {
    const v = buildPromotionView({ ...base, approvals: [{ ...alice, comment: 'lgtm' }] });
    expect(v).toMatchObject({ requestId: 'PR-7K3QX', title: 'Promote taxi-model v5 to prod', stateLabel: 'Awaiting approval (1 of 2)', tone: 'warning', outcome: 'Waiting for 1 more approval.' });
    expect(v.facts).toEqual(expect.arrayContaining([
      { title: 'Requested by', value: 'Rita' }, { title: 'Reason', value: 'better rmse' },
      { title: 'Version', value: 'taxi-model v5 (dev → prod)' }, { title: 'Approvals', value: '1 of 2: Alice ("lgtm")' },
      { title: 'Expires', value: '2026-11-05 09:00 UTC' },
    ]));
    expect(v.guard).toEqual({
      verdict: 'passed — rmse 0.4912 vs 0.5 (v4 in prod): 1.8% better',
      rows: [{ label: 'rmse (minimize, tolerance 2%)', candidate: '0.4912', baseline: '0.5 (v4)', delta: 'better 1.8%' }],
    });
    expect(v.actions).toEqual([
      { verb: 'approve', title: 'Approve', data: { requestId: 'PR-7K3QX' }, style: 'positive' },
      { verb: 'reject', title: 'Reject', data: { requestId: 'PR-7K3QX' }, style: 'destructive' },
    ]);
  });

  it.each<[string, Partial<PromotionRequest>, string, string]>([
    ['releasing', { state: 'releasing', approvals: [alice, bob], release }, 'Releasing', 'Approved by Alice, Bob — release 42 deploying'],
    ['approved', { state: 'approved', approvals: [alice, bob] }, 'Approved', 'Approved by Alice, Bob — starting the release'],
    ['succeeded', { state: 'succeeded', approvals: [alice, bob], release }, 'Succeeded', 'Approved by Alice, Bob — release 42 succeeded; v5 now runs in prod'],
    ['failed', { state: 'failed', approvals: [alice], release, failure: 'release 42 failed in Azure DevOps' }, 'Failed', 'Approved by Alice — release 42 failed in Azure DevOps'],
    ['rejected', { state: 'rejected', rejection: { ...bob, comment: 'metrics look off' } }, 'Rejected', 'Rejected by Bob: metrics look off'],
    ['expired', { state: 'expired', approvals: [alice] }, 'Expired', 'Expired with 1 of 2 approvals'],
    ['cancelled', { state: 'cancelled', cancellation: { by: 'slack:U0REQ', name: 'Rita', at: base.createdAt } }, 'Cancelled', 'Cancelled by Rita'],
    ['blocked', { state: 'blocked', failure: 'rmse 20% worse' }, 'Blocked', 'Blocked: rmse 20% worse'],
    ['approved in ADO', { state: 'releasing', release, adoDecision: { decision: 'approved', by: 'Dana', at: base.createdAt } }, 'Releasing', 'Approved in Azure DevOps by Dana — release 42 deploying'],
  ])('%s: the outcome line replaces the buttons', (_n, patch, label, outcome) => {
    const v = buildPromotionView({ ...base, ...patch });
    expect(v).toMatchObject({ stateLabel: label, outcome, actions: [] });
  });

  it('links the release and shows where it stands', () => {
    const v = buildPromotionView({ ...base, state: 'releasing', release: { ...release, lastState: 'in_progress' } });
    expect(v.links).toEqual([{ title: 'Open release 42', url: release.url }]);
    expect(v.facts).toContainEqual({ title: 'Release', value: 'release 42 (in progress)' });
  });

  it('a dry run shows what would happen, without buttons', () => {
    const v = buildPromotionView(base, { dryRun: true });
    expect(v).toMatchObject({ requestId: '(dry run, not created)', stateLabel: 'Dry run: would be awaiting approval (0 of 2)', actions: [], outcome: 'Dry run: nothing was created or changed.' });
  });

  it('a blocked request shows no approvals count (it never reached approval), awaiting and expired ones do', () => {
    const titles = (patch: Partial<PromotionRequest>) => buildPromotionView({ ...base, ...patch }).facts.map((f) => f.title);
    expect(titles({ state: 'blocked', failure: 'rmse 20% worse' })).not.toContain('Approvals');
    expect(buildPromotionView({ ...base, state: 'blocked', failure: 'x' }, { dryRun: true }).facts.map((f) => f.title)).not.toContain('Approvals');
    expect(titles({})).toContain('Approvals');
    expect(titles({ state: 'expired' })).toContain('Approvals');
  });

  it('says so when the environment has no guard', () => {
    expect(buildPromotionView({ ...base, guard: undefined }).guard).toEqual({ verdict: 'none configured for prod', rows: [] });
  });

  it('a candidate without the metric shows dashes, not zeros', () => {
    const v = buildPromotionView({ ...base, state: 'blocked', guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02, baselineVersion: '4', baseline: 0.5, passed: false, reason: 'v5 has no rmse metric' } });
    expect(v.guard.rows[0]).toMatchObject({ candidate: '—', baseline: '0.5 (v4)', delta: '—' });
    expect(v.guard.verdict).toBe('failed — v5 has no rmse metric');
  });
});
