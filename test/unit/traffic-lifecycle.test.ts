/**
 * A traffic change through the promotion lifecycle (DESIGN 9.4), as pure functions: the
 * environment's own approval policy (N-of-M, requester cannot approve, no guard, no Azure DevOps
 * gate), one `switch_traffic` effect carrying the mirror, the outcome heard by the requester and the
 * environment's channels, a failure with the command to try again, a freeze that holds it.
 */
import { reduce } from '../../src/core/promotion/reducer';
import { buildTrafficView } from '../../src/core/traffic/view';
import { trafficEnv } from '../../src/core/traffic/policy';
import type { TrafficPlan } from '../../src/core/traffic/types';
import { alice, bob, ctxAt, draft, kinds, ok, prodEnv, T0 } from './promotion-helpers';

const plan: TrafficPlan = {
  endpoint: 'taxi-online', mirrorGiven: true,
  before: { traffic: { blue: 100, green: 0 }, mirror: { green: 10 } },
  after: { traffic: { blue: 90, green: 10 }, mirror: {} },
  deploymentModels: { blue: 'taxi-model v3', green: 'taxi-model v2' },
};
const create = (patch = {}) => {
  const env = trafficEnv(prodEnv(patch));
  return { env, t: ok(reduce(null, { type: 'create', draft: { ...draft, model: 'taxi-online', version: 'traffic', traffic: plan }, order: { allowed: true, reason: '' } }, ctxAt(env))) };
};

describe('the traffic change policy', () => {
  it('is the environment’s approval policy with the bot holding the gate and no guard', () => {
    const env = trafficEnv(prodEnv({ minApprovals: 2, enforcedBy: 'ado' }));
    expect(env.approval).toMatchObject({ minApprovals: 2, requesterCannotApprove: true, enforcedBy: 'bot' });
    expect(env.guard).toBeUndefined();
    expect(trafficEnv({ ...prodEnv(), approval: undefined }).approval).toBeUndefined();
  });
});

describe('a traffic change through the lifecycle', () => {
  it('waits for N-of-M approvals, not the requester’s, then asks for one traffic update with the mirror', () => {
    const { env, t } = create({ minApprovals: 2 });
    expect(t.request).toMatchObject({ state: 'awaiting_approval', gate: 'bot', minApprovals: 2 });
    expect(kinds(t)).toEqual(['post_approval_card']);
    expect(t.audit[0].action).toBe('traffic.requested');
    expect(reduce(t.request, { type: 'approve', by: draft.requester.id, name: 'Rita', isApprover: true }, ctxAt(env))).toMatchObject({ refused: { reason: 'self_approval' } });
    const one = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env)));
    expect(one.request.state).toBe('awaiting_approval');
    const two = ok(reduce(one.request, { type: 'approve', ...bob, isApprover: true }, ctxAt(env)));
    expect(two.request.state).toBe('approved');
    expect(two.effects.find((e) => e.kind === 'switch_traffic')).toMatchObject({ key: 'PR-AAAAA:switch_traffic', payload: { env: 'prod', endpoint: 'taxi-online', traffic: { blue: 90, green: 10 }, mirror: {} } });
    expect(two.audit[0].action).toBe('traffic.approved');
  });

  it('where the environment needs no approval, asks for the update at once', () => {
    const { t } = create({ minApprovals: 0 });
    expect(t.request.state).toBe('approved');
    expect(kinds(t)).toEqual(['switch_traffic']);
  });

  it('succeeds with the split Azure reports; the requester and the environment’s channels hear it', () => {
    const { env, t } = create();
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env))).request;
    const done = ok(reduce(approved, { type: 'traffic_switched', endpoint: 'taxi-online', traffic: { blue: 90, green: 10 }, mirror: {} }, ctxAt(env, new Date(T0.getTime() + 5000))));
    expect(done.request.state).toBe('succeeded');
    expect(kinds(done)).toEqual(['notify_requester', 'rollback_notice', 'update_cards']);
    expect(done.effects.find((e) => e.kind === 'rollback_notice')!.payload).toMatchObject({ title: 'Traffic change PR-AAAAA', channels: ['slack:C0ALERTS'], text: 'taxi-online in prod now serves blue 90%, green 10% (traffic change PR-AAAAA, was blue 100%; mirror green 10%).' });
    expect(done.audit[0].action).toBe('traffic.succeeded');
    expect(buildTrafficView(done.request)).toMatchObject({ stateLabel: 'Succeeded', outcome: 'Approved by Alice — traffic changed: blue 90%, green 10%' });
  });

  it('fails with the reason and the command to try again', () => {
    const { env, t } = create();
    const approved = ok(reduce(t.request, { type: 'approve', ...alice, isApprover: true }, ctxAt(env))).request;
    const failed = ok(reduce(approved, { type: 'traffic_failed', error: 'deployment green is unhealthy.' }, ctxAt(env)));
    expect(failed.request).toMatchObject({ state: 'failed', failure: expect.stringContaining('green is unhealthy') });
    expect(failed.effects.find((e) => e.kind === 'notify_requester')!.payload.text).toContain('traffic taxi-online prod blue=90 green=10');
  });

  it('the card shows the split before and after, mirror included', () => {
    const { t } = create();
    expect(buildTrafficView(t.request)).toMatchObject({
      title: 'Traffic on taxi-online in prod: blue 90%, green 10%',
      traffic: [
        { deployment: 'blue', version: 'taxi-model v3', before: '100%', after: '90%' },
        { deployment: 'green', version: 'taxi-model v2', before: '0% · mirror 10%', after: '10%' },
      ],
      actions: [expect.objectContaining({ verb: 'approve' }), expect.objectContaining({ verb: 'reject' })],
    });
  });
});
