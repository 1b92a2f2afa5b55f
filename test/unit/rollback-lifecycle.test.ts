/**
 * Rollback rules (DESIGN 9.3) as pure functions: which version it goes back to, the rollback
 * approval policy (minApprovals, selfApprove, no Azure DevOps gate for a traffic switch, freezes),
 * and the lifecycle steps a rollback takes that a promotion does not.
 */
import { reduce } from '../../src/core/promotion/reducer';
import type { PromotionRequest } from '../../src/core/promotion/types';
import { previousVersion } from '../../src/core/rollback/previous';
import { isFreezeExempt, rollbackEnv } from '../../src/core/rollback/policy';
import type { RollbackPlan } from '../../src/core/rollback/types';
import type { OnlineDeploymentInfo } from '../../src/core/serving/types';
import { alice, ctxAt, draft, kinds, ok, prodEnv, T0 } from './promotion-helpers';

const dep = (name: string, version: string, model = 'taxi-model'): OnlineDeploymentInfo => ({
  env: 'prod', endpoint: 'taxi-online', name, state: 'succeeded', model: { name: model, version, source: 'workspace', assetId: `azureml:${model}:${version}` },
});
const succeeded = (id: string, version: string, env: string, at: string) =>
  ({ id, version, targetEnv: env, updatedAt: at, model: 'taxi-model' }) as PromotionRequest;

describe('the version a rollback goes back to', () => {
  const base = { model: 'taxi-model', env: 'prod', current: '5', history: [], deployments: [], tagged: [] };

  it('prefers the newest other version the history promoted to the environment', () => {
    const history = [succeeded('PR-1', '3', 'prod', '2026-10-01'), succeeded('PR-2', '4', 'prod', '2026-11-01'), succeeded('PR-3', '5', 'prod', '2026-11-20'), succeeded('PR-4', '9', 'preprod', '2026-11-25')];
    expect(previousVersion({ ...base, history, deployments: [dep('green', '2')] })).toEqual({ version: '4', from: 'the request history (PR-2)' });
  });

  it('falls back to the newest older deployment still on the endpoint, ignoring other models and newer versions', () => {
    const deployments = [dep('blue', '5'), dep('green', '3'), dep('canary', '6'), dep('x', '4', 'other-model')];
    expect(previousVersion({ ...base, deployments })).toEqual({ version: '3', from: 'deployment green' });
  });

  it('then to the placement tags, and to nothing when nothing is known', () => {
    expect(previousVersion({ ...base, tagged: ['5', '2'] })).toEqual({ version: '2', from: 'the mlops-env-prod tag' });
    expect(previousVersion(base)).toBeUndefined();
  });
});

const trafficPlan: RollbackPlan = { mode: 'traffic', fromVersion: '5', endpoint: 'taxi-online', deployment: 'green', trafficBefore: { blue: 100, green: 0 }, trafficAfter: { blue: 0, green: 100 }, chosenFrom: 'deployment green', tagSource: true };
const releasePlan: RollbackPlan = { mode: 'release', fromVersion: '5', chosenFrom: '--to', tagSource: true };

describe('the rollback approval policy', () => {
  it('needs approval.rollback.minApprovals (default 1), never the requester’s own unless selfApprove, and no guard', () => {
    const env = rollbackEnv(prodEnv({ minApprovals: 2 }), trafficPlan);
    expect(env.approval).toMatchObject({ minApprovals: 1, requesterCannotApprove: true, enforcedBy: 'bot' });
    expect(env.guard).toBeUndefined();
    const own = rollbackEnv(prodEnv({ rollback: { minApprovals: 2, selfApprove: true } }), releasePlan);
    expect(own.approval).toMatchObject({ minApprovals: 2, requesterCannotApprove: false, enforcedBy: 'ado' });
    expect(rollbackEnv(prodEnv({ rollback: { minApprovals: 0, selfApprove: false } }), trafficPlan).approval).toBeUndefined();
  });

  it('is exempt from freezes; promotions are not', () => {
    expect(isFreezeExempt({ rollback: trafficPlan })).toBe(true);
    expect(isFreezeExempt({})).toBe(false);
  });
});

describe('a rollback through the lifecycle', () => {
  const create = (plan: RollbackPlan, patch = {}) => {
    const env = rollbackEnv(prodEnv(patch), plan);
    return { env, t: ok(reduce(null, { type: 'create', draft: { ...draft, version: '3', rollback: plan }, order: { allowed: true, reason: '' } }, ctxAt(env))) };
  };

  it('a traffic rollback waits for the chat approval, then asks for one traffic switch (no release, no gate)', () => {
    const { env, t } = create(trafficPlan);
    expect(t.request).toMatchObject({ state: 'awaiting_approval', gate: 'bot', minApprovals: 1 });
    expect(kinds(t)).toEqual(['post_approval_card']);
    expect(t.audit[0].action).toBe('rollback.requested');
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(approved.request.state).toBe('approved');
    expect(kinds(approved)).toEqual(['notify_requester', 'switch_traffic', 'update_cards']);
    expect(approved.effects.find((e) => e.kind === 'switch_traffic')).toMatchObject({ key: 'PR-AAAAA:switch_traffic', payload: { env: 'prod', endpoint: 'taxi-online', traffic: { blue: 0, green: 100 } } });
    // A second click changes nothing and asks for nothing.
    const again = ok(reduce(approved.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(again.effects).toEqual([]);
  });

  it('refuses the requester’s own approval unless selfApprove', () => {
    const { env, t } = create(trafficPlan);
    const self = reduce(t.request, { type: 'approve', by: draft.requester.id, name: 'Rita', isApprover: true }, ctxAt(env));
    expect(self).toMatchObject({ refused: { reason: 'self_approval' } });
    const allowed = create(trafficPlan, { rollback: { minApprovals: 1, selfApprove: true } });
    expect(ok(reduce(allowed.t.request, { type: 'approve', by: draft.requester.id, name: 'Rita', isApprover: true }, ctxAt(allowed.env))).request.state).toBe('approved');
  });

  it('succeeds when Azure confirms the split: tag, requester and the environment’s channels hear it', () => {
    const { env, t } = create(trafficPlan);
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env))).request;
    const done = ok(reduce(approved, { type: 'traffic_switched', endpoint: 'taxi-online', traffic: { blue: 0, green: 100 } }, ctxAt(env, new Date(T0.getTime() + 5000))));
    expect(done.request.state).toBe('succeeded');
    expect(kinds(done)).toEqual(['notify_requester', 'rollback_notice', 'tag_model', 'update_cards']);
    expect(done.effects.find((e) => e.kind === 'rollback_notice')!.payload).toMatchObject({ channels: ['slack:C0ALERTS'], text: expect.stringContaining('taxi-model v3 serves prod again') });
    expect(done.audit[0].action).toBe('rollback.succeeded');
  });

  it('fails with the reason and a retry line when the switch cannot be made', () => {
    const { env, t } = create(trafficPlan);
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env))).request;
    const failed = ok(reduce(approved, { type: 'traffic_failed', error: 'deployment green is unhealthy.' }, ctxAt(env)));
    expect(failed.request).toMatchObject({ state: 'failed', failure: expect.stringContaining('green is unhealthy') });
    expect(failed.effects.find((e) => e.kind === 'notify_requester')!.payload.text).toContain('rollback taxi-model prod --to 3');
  });

  it('a release rollback starts the release at once where Azure DevOps holds the gate, as a promotion does', () => {
    const { t } = create(releasePlan);
    expect(kinds(t)).toEqual(['post_approval_card', 'start_release']);
  });
});
