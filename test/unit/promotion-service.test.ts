import type { Store } from '../../src/core/ports';
import { BotError } from '../../src/core/errors';
import { pollReleases } from '../../src/core/promotion/effects';
import { demoSettings } from '../../src/config';
import { testSettings } from '../fakes/settings';
import { admin, alice, bob, eve, harness, pendingEffects, racingStore, rita, withPolicy } from './promotion-harness';

const HOUR = 3_600_000;

async function botError(p: Promise<unknown>): Promise<BotError> {
  try { await p; } catch (e) { if (e instanceof BotError) return e; throw e; }
  throw new Error('expected a BotError');
}

describe('requestPromotion', () => {
  it('resolves the latest version, the baseline from the prod tag, the guard and the order, then waits for approval', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', reason: 'better rmse', channel: 'slack:C0TEAM', correlationId: 'corr-1' });
    if (!res.ok) throw new Error(res.refusal.message);
    expect(res.request).toMatchObject({ id: 'PR-T1', version: '6', state: 'blocked' });
    const v5 = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: 'v5' });
    if (!v5.ok) throw new Error(v5.refusal.message);
    expect(v5.request).toMatchObject({ id: 'PR-T2', version: '5', state: 'awaiting_approval', minApprovals: 1 });
    expect(v5.request.guard).toMatchObject({ passed: true, candidate: 0.49, baseline: 0.5, baselineVersion: '4' });
    expect(await h.store.getRequest('PR-T2')).toEqual(v5.request);
    const audit = await h.store.listAudit({ requestId: 'PR-T1' });
    expect(audit).toEqual([expect.objectContaining({ action: 'promotion.blocked', correlationId: 'corr-1' })]);
  });

  it('blocks a version that regresses beyond the tolerance', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '6' });
    expect(res.ok && res.request.state).toBe('blocked');
    expect(res.ok && res.request.failure).toBe('rmse 0.6 vs 0.5 (v4 in prod): 20% worse, beyond the 2% tolerance');
  });

  it('the bot\'s own history is the baseline before the tag', async () => {
    const h = await harness();
    const first = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '3' });
    if (!first.ok) throw new Error('refused');
    await h.store.commitTransition({ ...first.request, state: 'succeeded', revision: first.request.revision + 1, updatedAt: '2026-11-01T00:00:00.000Z' }, [], []);
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', dryRun: true });
    expect(res.ok && res.request.guard?.baselineVersion).toBe('3');
  });

  it('refuses to promote the version that already runs there, and changes nothing (dry run included)', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '4' });
    expect(!res.ok && res.refusal).toMatchObject({ reason: 'already_serving', code: 'already_exists', message: 'taxi-model v4 already runs in prod; nothing to promote.' });
    const dry = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '4', dryRun: true });
    expect(!dry.ok && dry.refusal.reason).toBe('already_serving');
    expect(await h.store.listRequests({})).toEqual([]);
    // Only the refusal is recorded (and summarised in the audit channel); no release, no approval card.
    expect((await pendingEffects(h.store, new Date('2030-01-01'))).map((e) => e.kind)).toEqual(['audit-refusals']);
    expect((await h.store.listAudit({})).map((a) => a.detail.reason)).toEqual(['already_serving']);
  });

  it('blocks skipping preprod', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'churn-model', env: 'prod' });
    expect(res.ok && res.request).toMatchObject({ state: 'blocked', failure: 'churn-model v1 has not been promoted to preprod yet (promotion order: dev → preprod → prod)' });
  });

  it.each([
    [{ model: 'taxi-modle', env: 'prod' }, 'unknown_model', 'churn-model, taxi-model'],
    [{ model: 'taxi-model', env: 'prod', version: '9' }, 'unknown_version', '6, 5, 4, 3'],
    [{ model: 'taxi-model', env: 'staging' }, 'unknown_env', 'preprod, prod'],
    [{ model: 'taxi-model', env: 'dev' }, 'usage', 'preprod, prod'],
  ])('bad input %o → %s listing the valid ones, nothing stored', async (input, code, listed) => {
    const h = await harness();
    const e = await botError(h.service.requestPromotion({ caller: rita, ...input }));
    expect(e.code).toBe(code);
    expect(e.remedy).toContain(listed);
    expect(await h.store.listRequests({})).toEqual([]);
  });

  it('--dry-run computes everything and changes nothing: no rows, no effects, no audit', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', dryRun: true });
    expect(res).toMatchObject({ ok: true, dryRun: true, changed: false, request: { state: 'awaiting_approval', guard: { passed: true } } });
    const restricted = await harness({ ...testSettings(), environments: testSettings().environments.map((e) => ({ ...e, requesters: ['slack:U0ALICE'] })) });
    const refused = await restricted.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', dryRun: true });
    expect(refused.ok).toBe(false);
    for (const s of [h.store, restricted.store]) {
      expect(await s.listRequests({})).toEqual([]);
      expect(await pendingEffects(s, new Date('2030-01-01'))).toEqual([]);
      expect(await s.readAuditChain(0, 100)).toEqual([]);
    }
  });

  it('requesters lists are enforced and the refusal audited', async () => {
    const h = await harness({ ...testSettings(), environments: testSettings().environments.map((e) => ({ ...e, requesters: ['slack:U0ALICE'] })) });
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod' });
    expect(!res.ok && res.refusal.reason).toBe('not_requester_allowed');
    expect(await h.store.listAudit({})).toEqual([expect.objectContaining({ action: 'promotion.refused', actor: rita.id, env: 'prod', detail: expect.objectContaining({ attempted: 'promote', reason: 'not_requester_allowed' }) })]);
  });

  it('a second request for the same version and environment is refused while the first is open', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    const again = await h.service.requestPromotion({ caller: alice, model: 'taxi-model', env: 'prod', version: '5' });
    expect(!again.ok && again.refusal).toMatchObject({ reason: 'duplicate_request', code: 'conflict' });
    expect(!again.ok && again.request?.id).toBe('PR-T1');
  });

  it('two requests for the same version at once (two users, or Slack and Teams): one request, one duplicate_request refusal', async () => {
    let race!: ReturnType<typeof racingStore>;
    const h = await harness(testSettings(), { store: (s: Store) => (race = racingStore(s, 2, 'listRequests')).wrapped });
    race.stats.armed = true; // both pass the open-request check before either inserts
    const results = await Promise.all([
      h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', correlationId: 'c-rita' }),
      h.service.requestPromotion({ caller: alice, model: 'taxi-model', env: 'prod', version: '5', correlationId: 'c-alice' }),
    ]);
    expect(race.stats.arrived).toBe(2);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0].ok ? won[0].request : undefined;
    expect(!lost[0].ok && lost[0].refusal).toMatchObject({ reason: 'duplicate_request', code: 'conflict' });
    expect(!lost[0].ok && lost[0].request?.id).toBe(winner?.id);
    expect((await h.store.listRequests({})).map((r) => r.id)).toEqual([winner?.id]);
    // One release, one approval card: only the winner's effects were recorded.
    const effects = await pendingEffects(h.raw, h.clock.now());
    expect(effects.filter((e) => e.kind === 'start_release')).toHaveLength(1);
    expect(effects.filter((e) => e.kind === 'post_approval_card').map((e) => e.key)).toEqual([`${winner?.id}:post_approval_card:slack:C0APPROVE`]);
    const refused = (await h.store.listAudit({})).filter((a) => a.action === 'promotion.refused');
    expect(refused).toEqual([expect.objectContaining({ requestId: winner?.id, detail: expect.objectContaining({ reason: 'duplicate_request' }) })]);
  });
});

describe('decide, cancel, tick', () => {
  async function gatedRequest(settings = testSettings(), opts = {}) {
    const h = await harness(settings, opts);
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain(); // start_release → release_started
    await pollReleases(h); // the Azure DevOps gate's approval id
    expect((await h.store.getRequest('PR-T1'))!.release).toMatchObject({ id: 1, approvalId: 'appr-1' });
    return h;
  }

  it('two approvers approving at the same time with minApprovals 2: approved once, one ado_decide', async () => {
    let race!: ReturnType<typeof racingStore>;
    const h = await gatedRequest(withPolicy({ minApprovals: 2 }), { store: (s: Store) => (race = racingStore(s, 2)).wrapped });
    race.stats.armed = true;
    const [a, b] = await Promise.all([
      h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' }),
      h.service.decide({ caller: bob, requestId: 'pr-t1', decision: 'approve' }),
    ]);
    expect(race.stats.conflicts).toBe(1);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const r = (await h.store.getRequest('PR-T1'))!;
    expect(r.state).toBe('approved');
    expect(r.approvals.map((x) => x.name).sort()).toEqual(['Alice', 'Bob']);
    const effects = await pendingEffects(h.raw, h.clock.now());
    expect(effects.filter((e) => e.kind === 'ado_decide')).toHaveLength(1);
    expect((await h.store.listAudit({ requestId: 'PR-T1' })).filter((x) => x.action === 'promotion.approved')).toHaveLength(1);
  });

  it('a double click (concurrent and repeated) has one effect', async () => {
    const h = await gatedRequest();
    await Promise.all([1, 2, 3].map(() => h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' })));
    const again = await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    expect(again).toMatchObject({ ok: true, changed: false });
    const r = (await h.store.getRequest('PR-T1'))!;
    expect(r.approvals).toHaveLength(1);
    await h.drain();
    expect(h.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'approved', comment: 'Approved via MLOps Bot by Alice (request PR-T1)' }]);
  });

  it('refusals are returned and audited; unknown requests are BotErrors', async () => {
    const h = await gatedRequest(withPolicy({ approvers: ['slack:U0ALICE', 'slack:U0REQ'] }));
    const self = await h.service.decide({ caller: rita, requestId: 'PR-T1', decision: 'approve', correlationId: 'c-9' });
    expect(!self.ok && self.refusal.reason).toBe('self_approval');
    const stranger = await h.service.decide({ caller: eve, requestId: 'PR-T1', decision: 'reject', comment: 'no' });
    expect(!stranger.ok && stranger.refusal.reason).toBe('not_approver');
    const refused = (await h.store.listAudit({ requestId: 'PR-T1' })).filter((a) => a.action === 'promotion.refused');
    expect(refused.map((a) => [a.actor, a.detail.attempted, a.detail.reason, a.correlationId])).toEqual(
      expect.arrayContaining([[rita.id, 'approve', 'self_approval', 'c-9'], [eve.id, 'reject', 'not_approver', undefined]]),
    );
    expect((await h.store.getRequest('PR-T1'))!.revision).toBe(3);
    expect((await botError(h.service.decide({ caller: alice, requestId: 'PR-NOPE', decision: 'approve' }))).code).toBe('unknown_request');
  });

  it('an approver named by email (resolved through the directory) may approve', async () => {
    const h = await gatedRequest();
    const res = await h.service.decide({ caller: { id: 'slack:U0CAROL', platform: 'slack', displayName: 'Carol' }, requestId: 'PR-T1', decision: 'approve' });
    expect(res.ok && res.request.state).toBe('approved');
  });

  it('cancel: others refused, an admin allowed; the known gate is rejected', async () => {
    const h = await gatedRequest();
    const byAlice = await h.service.cancel({ caller: alice, requestId: 'PR-T1' });
    expect(!byAlice.ok && byAlice.refusal.reason).toBe('not_requester');
    const byAdmin = await h.service.cancel({ caller: admin, requestId: 'PR-T1' });
    expect(byAdmin.ok && byAdmin.request.state).toBe('cancelled');
    await h.drain();
    expect(h.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'rejected', comment: 'Rejected via MLOps Bot by Ada (request PR-T1): request cancelled' }]);
  });

  it('the demo config shows reminders and expiry within half an hour', async () => {
    const h = await harness(demoSettings());
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    expect(res.ok && res.request).toMatchObject({ state: 'awaiting_approval', expiresAt: new Date(h.clock.now().getTime() + 30 * 60_000).toISOString() });
    h.clock.advance(10 * 60_000);
    expect(await h.service.tick()).toBe(1);
    h.clock.advance(10 * 60_000);
    expect(await h.service.tick()).toBe(1);
    expect((await h.store.getRequest('PR-T1'))!).toMatchObject({ state: 'awaiting_approval', remindersSent: 2 });
    h.clock.advance(10 * 60_000);
    expect(await h.service.tick()).toBe(1);
    expect((await h.store.getRequest('PR-T1'))!.state).toBe('expired');
    await h.drain();
    expect(h.chat.inChannel('cli:approvals').map((p) => p.message.template)).toEqual(['promotion', 'notice', 'notice']);
  });

  it('tick expires waiting requests after expiresAfter and reminds before', async () => {
    const h = await gatedRequest();
    h.clock.advance(24 * HOUR);
    expect(await h.service.tick()).toBe(1);
    expect(await h.service.tick()).toBe(0);
    h.clock.advance(48 * HOUR);
    expect(await h.service.tick()).toBe(1);
    expect((await h.store.getRequest('PR-T1'))!).toMatchObject({ state: 'expired', remindersSent: 1 });
    await h.drain();
    expect(h.chat.inChannel('slack:C0APPROVE').map((p) => p.message.template)).toEqual(['promotion', 'notice']);
    expect(h.releases.decisions.map((d) => d.decision)).toEqual(['rejected']);
  });
});
