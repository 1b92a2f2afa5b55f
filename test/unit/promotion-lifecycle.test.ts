import type { PromotionView } from '../../src/core/cards/views';
import type { OutboxEffect } from '../../src/core/outbox/types';
import type { EffectHandler as WorkerEffectHandler } from '../../src/core/outbox/worker';
import { pollReleases, rememberCard } from '../../src/core/promotion/effects';
import { testSettings } from '../fakes/settings';
import { CapturingLogger } from '../fakes/logger';
import { alice, harness, rita, withPolicy } from './promotion-harness';

type H = Awaited<ReturnType<typeof harness>>;

function approvalCard(h: H): PromotionView {
  const post = h.chat.inChannel('slack:C0APPROVE').find((p) => p.message.template === 'promotion')!;
  return h.chat.latest(post.ref)!.data as PromotionView;
}

describe('a full life: promote → awaiting → refused self-approval → approve → ado_decide → succeeded → tag', () => {
  it('follows the request end to end through the outbox', async () => {
    const h = await harness(withPolicy({ approvers: ['slack:U0ALICE', 'slack:U0REQ'] }));
    const created = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', channel: 'slack:C0TEAM' });
    expect(created.ok && created.request.state).toBe('awaiting_approval');
    await h.drain();
    expect(h.releases.startCalls).toBe(1);
    expect(h.releases.releases[0].input).toMatchObject({ env: 'prod', model: 'taxi-model', version: '5', requestId: 'PR-T1' });
    expect(approvalCard(h)).toMatchObject({ title: 'Promote taxi-model v5 to prod', stateLabel: 'Awaiting approval (0 of 1)' });
    expect(approvalCard(h).actions.map((a) => [a.verb, a.data])).toEqual([['approve', { requestId: 'PR-T1' }], ['reject', { requestId: 'PR-T1' }]]);

    await pollReleases(h);
    const self = await h.service.decide({ caller: rita, requestId: 'PR-T1', decision: 'approve' });
    expect(!self.ok && self.refusal.reason).toBe('self_approval');

    const approved = await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve', comment: 'lgtm' });
    expect(approved.ok && approved.request.state).toBe('approved');
    await h.drain();
    expect(h.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'approved', comment: 'Approved via MLOps Bot by Alice (request PR-T1)' }]);

    await pollReleases(h); // Azure DevOps moved on after the approval
    expect((await h.store.getRequest('PR-T1'))!.state).toBe('releasing');
    h.releases.finish(1, 'succeeded');
    await pollReleases(h);
    expect((await h.store.getRequest('PR-T1'))!.state).toBe('succeeded');
    await h.drain();
    expect(h.registry.tagCalls).toEqual([{ env: 'dev', model: 'taxi-model', version: '5', tags: { 'mlops-env-prod': h.clock.now().toISOString() } }]);

    // One card message, edited in place; the outcome line replaced the buttons.
    expect(h.chat.inChannel('slack:C0APPROVE').filter((p) => p.message.template === 'promotion')).toHaveLength(1);
    expect(approvalCard(h)).toMatchObject({ stateLabel: 'Succeeded', actions: [], outcome: 'Approved by Alice — release 1 succeeded; v5 now runs in prod' });
    expect(h.chat.inChannel('slack:C0TEAM').map((p) => (p.message.data as { tone: string }).tone)).toEqual(['good', 'good']);
    const actions = (await h.store.readAuditChain(0, 100)).map((a) => a.action);
    expect(actions).toEqual([
      'promotion.requested', 'promotion.release_started', 'promotion.release_progress', 'promotion.refused',
      'promotion.approved', 'promotion.releasing', 'promotion.succeeded',
    ]);
    // Every state change (and the refusal) as the one audit card every audit entry uses.
    const auditPosts = h.chat.inChannel('slack:C0AUDIT').map((p) => p.message);
    expect(auditPosts.every((m) => m.template === 'audit-entry')).toBe(true);
    expect(auditPosts.map((m) => (m.data as { title: string }).title)).toEqual([
      // The refused self-approval (#4) reaches the channel in the refusals' summary when its window closes.
      'Audit #1: promotion.requested', 'Audit #5: promotion.approved', 'Audit #6: promotion.releasing', 'Audit #7: promotion.succeeded',
    ]);

    // A later promotion of another version compares against v5, now the version in prod.
    const next = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '4', dryRun: true });
    expect(next.ok && next.request.guard?.baselineVersion).toBe('5');
  });

  it('a rejection in the Azure DevOps web UI is followed on the card', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    h.releases.finish(1, 'rejected', 'Dana');
    expect(await pollReleases(h)).toEqual({ checked: 1, changed: 1, errors: 0 });
    await h.drain();
    expect(approvalCard(h)).toMatchObject({ stateLabel: 'Rejected', outcome: 'Rejected by Dana: rejected in Azure DevOps', actions: [] });
  });

  it('cancelled before the release started: the release is never started', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.service.cancel({ caller: rita, requestId: 'PR-T1' });
    await h.drain();
    expect(h.releases.startCalls).toBe(0);
  });

  it('cancelled before the gate was seen: the poll rejects the gate once it appears', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    await h.service.cancel({ caller: rita, requestId: 'PR-T1' });
    await h.drain();
    expect(h.releases.decisions).toEqual([]);
    await pollReleases(h);
    await h.drain();
    await pollReleases(h);
    await h.drain();
    expect(h.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'rejected', comment: 'Rejected via MLOps Bot by Rita (request PR-T1): request cancelled' }]);
  });

  it('with a bot gate the release starts only after the chat approval', async () => {
    const h = await harness(withPolicy({ enforcedBy: 'bot' }));
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    expect(h.releases.startCalls).toBe(0);
    await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    await h.drain();
    expect(h.releases.startCalls).toBe(1);
    expect((await h.store.getRequest('PR-T1'))!.state).toBe('releasing');
  });

  it('an environment without approval releases at once', async () => {
    const h = await harness(testSettings());
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'preprod', version: '5' });
    await h.drain();
    expect((await h.store.getRequest('PR-T1'))!.state).toBe('releasing');
    expect(h.releases.decisions).toEqual([]);
  });
});

describe('effect handlers', () => {
  const ctx = { log: new CapturingLogger(), key: 'k', attempt: 1 };
  const effect = (key: string, kind: string, payload: Record<string, unknown>): OutboxEffect => ({
    id: 1, key, kind, payload, status: 'running', attempts: 1, nextAttemptAt: '2026-11-02T09:00:00.000Z', createdAt: '2026-11-02T09:00:00.000Z',
  });

  it('fit the outbox worker, include the audit posts transitions record, and are safe to retry', async () => {
    const h = await harness();
    const asWorker: Record<string, WorkerEffectHandler> = h.handlers;
    expect(Object.keys(asWorker).sort()).toEqual(['ado_decide', 'audit-post', 'notify_requester', 'post_approval_card', 'remind_approvers', 'start_release', 'tag_model', 'update_cards']);
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    const card = effect('k2', 'post_approval_card', { requestId: 'PR-T1', channel: 'slack:C0APPROVE' });
    expect(await h.handlers.post_approval_card(card, ctx)).toMatchObject({ posted: 1, channel: 'slack:C0APPROVE' });
    expect(await h.handlers.post_approval_card(card, ctx)).toEqual({ posted: 0, channel: 'slack:C0APPROVE' });
    await rememberCard(h.store, 'PR-T1', { channel: 'slack:C0TEAM', messageId: 'status-1' });
    expect(await h.handlers.update_cards(effect('k3', 'update_cards', { requestId: 'PR-T1', revision: 1 }), ctx)).toEqual({ updated: 2 });
  });

  it('an effect recorded before the split per channel still tries every channel and redoes only the failed one', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    const post = h.chat.post.bind(h.chat);
    let calls = 0;
    h.chat.post = async (channel, message) => { if (++calls === 1) throw new Error('chat down'); return post(channel, message); };
    const legacy = effect('k1', 'remind_approvers', { requestId: 'PR-T1', channels: ['slack:C1', 'slack:C2'], text: 'y' });
    await expect(h.handlers.remind_approvers(legacy, ctx)).rejects.toThrow('chat down');
    expect(h.chat.posts.map((p) => p.ref.channel)).toEqual(['slack:C2']);
    expect(await h.handlers.remind_approvers(legacy, ctx)).toEqual({ posted: 1 });
    expect(h.chat.posts.map((p) => p.ref.channel)).toEqual(['slack:C2', 'slack:C1']);
  });
});
