import type { NoticeView, PromotionView, RequestsView } from '../../src/core/cards/views';
import { approveCommand } from '../../src/core/commands/approve';
import { cancelCommand } from '../../src/core/commands/cancel';
import { promoteCommand } from '../../src/core/commands/promote';
import { rejectCommand } from '../../src/core/commands/reject';
import { requestsCommand } from '../../src/core/commands/requests';
import type { CommandContext, ParsedArgs } from '../../src/core/commands/types';
import { BotError } from '../../src/core/errors';
import type { Caller } from '../../src/core/identity';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { alice, bob, eve, harness, rita } from './promotion-harness';

type H = Awaited<ReturnType<typeof harness>>;

function ctxFor(h: H, caller: Caller, text = ''): CommandContext {
  const { registry, releases, directory, store, chat, clock, log, settings } = h;
  return {
    invocation: { text, caller, channel: 'slack:C0TEAM', correlationId: 'corr-7' },
    settings,
    ports: { registry, releases, directory, store, chat, clock, schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin() },
    log,
  };
}
const args = (positional: Record<string, string>, flags: ParsedArgs['flags'] = {}, rest: string[] = []): ParsedArgs => ({ positional, flags, rest });

describe('promotion commands', () => {
  it('declare the permissions the dispatcher gates on', () => {
    expect([promoteCommand, approveCommand, rejectCommand, cancelCommand, requestsCommand].map((c) => [c.name, c.permission])).toEqual([
      ['promote', 'anyone'], ['approve', 'approver'], ['reject', 'approver'], ['cancel', 'anyone'], ['requests', 'anyone'],
    ]);
  });

  it('promote answers with the public status card; --dry-run privately, changing nothing', async () => {
    const h = await harness();
    const dry = await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '5', 'dry-run': true }));
    expect(dry).toMatchObject({ status: 'ok', visibility: 'private', reply: { template: 'promotion' } });
    expect(await h.store.listRequests({})).toEqual([]);
    const out = await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '5', reason: 'better rmse' }));
    expect(out).toMatchObject({ status: 'ok', visibility: 'public', reply: { template: 'promotion' } });
    const id = out.requestId!;
    expect(id).toMatch(/^PR-[A-Z2-9]{5}$/);
    expect((out.reply.data as PromotionView).stateLabel).toBe('Awaiting approval (0 of 1)');
    expect((await h.store.getRequest(id))!).toMatchObject({ reason: 'better rmse', requesterChannel: 'slack:C0TEAM' });
    expect((await h.store.listAudit({ requestId: id }))[0].correlationId).toBe('corr-7');
  });

  it('a dry run ahead of the promotion order says why it would be blocked, like the real request', async () => {
    const h = await harness();
    const dry = await promoteCommand.handler(ctxFor(h, rita), args({ model: 'churn-model', env: 'prod' }, { 'dry-run': true }));
    const view = dry.reply.data as PromotionView;
    expect(dry).toMatchObject({ status: 'refused', visibility: 'private' });
    expect(view.stateLabel).toBe('Dry run: would be blocked');
    expect(view.outcome).toBe('Would be blocked: churn-model v1 has not been promoted to preprod yet (promotion order: dev → preprod → prod). Dry run: nothing was created or changed.');
    expect(await h.store.listRequests({})).toEqual([]);
  });

  it('promote of a regressing version shows the blocked card', async () => {
    const h = await harness();
    const out = await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '6' }));
    expect(out).toMatchObject({ status: 'refused', visibility: 'public' });
    expect((out.reply.data as PromotionView).outcome).toContain('Blocked: rmse 0.6 vs 0.5');
  });

  it('bad input throws coded errors for the error sink', async () => {
    const h = await harness();
    await expect(promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: true }))).rejects.toMatchObject({ code: 'usage' });
    await expect(promoteCommand.handler(ctxFor(h, rita), args({ model: 'nope', env: 'prod' }))).rejects.toBeInstanceOf(BotError);
    await expect(rejectCommand.handler(ctxFor(h, alice), args({ 'request-id': 'PR-T1' }))).rejects.toMatchObject({ code: 'usage' });
    await expect(requestsCommand.handler(ctxFor(h, alice), args({}, { env: 'qa' }))).rejects.toMatchObject({ code: 'unknown_env' });
  });

  it('approve, reject and cancel: the card privately, refusals as a private notice', async () => {
    const h = await harness();
    // v4 already runs in prod, so the second request is for a v7 as good as v5.
    h.registry.addVersion('dev', { name: 'taxi-model', version: '7', tags: { 'mlops-env-preprod': '2026-11-01T00:00:00.000Z' } }, { rmse: 0.49 });
    const t1 = (await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '5' }))).requestId!;
    const t2 = (await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '7' }))).requestId!;

    const byEve = await approveCommand.handler(ctxFor(h, eve), args({ 'request-id': t1 }));
    expect(byEve).toMatchObject({ status: 'refused', visibility: 'private', reply: { template: 'notice' }, requestId: t1 });
    expect((byEve.reply.data as NoticeView).text).toContain('Eve is not an approver for prod.');

    const ok = await approveCommand.handler(ctxFor(h, alice), args({ 'request-id': t1.toLowerCase() }, {}, ['looks', 'good']));
    expect(ok).toMatchObject({ status: 'ok', visibility: 'private', reply: { template: 'promotion' } });
    expect((await h.store.getRequest(t1))!.approvals[0].comment).toBe('looks good');

    const late = await rejectCommand.handler(ctxFor(h, bob), args({ 'request-id': t1 }, {}, ['too', 'late']));
    expect(late).toMatchObject({ status: 'conflict', visibility: 'private' });

    const rejected = await rejectCommand.handler(ctxFor(h, bob), args({ 'request-id': t2 }, {}, ['metrics', 'look', 'off']));
    expect((rejected.reply.data as PromotionView).outcome).toBe('Rejected by Bob: metrics look off');

    const cancel = await cancelCommand.handler(ctxFor(h, rita), args({ 'request-id': t2 }));
    expect(cancel).toMatchObject({ status: 'conflict', visibility: 'private' });
  });

  it('requests lists newest first, filtered by --pending and --env', async () => {
    const h = await harness();
    const t1 = (await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'prod' }, { version: '5' }))).requestId!;
    h.clock.advance(60_000);
    const t2 = (await promoteCommand.handler(ctxFor(h, rita), args({ model: 'taxi-model', env: 'preprod' }, { version: '5' }))).requestId!;
    const all = (await requestsCommand.handler(ctxFor(h, eve), args({}))).reply.data as RequestsView;
    expect(all.rows.map((r) => [r.id, r.target, r.state])).toEqual([[t2, 'preprod', 'Approved'], [t1, 'prod', 'Awaiting approval (0 of 1)']]);
    const pending = (await requestsCommand.handler(ctxFor(h, eve), args({}, { pending: true }))).reply.data as RequestsView;
    expect(pending).toMatchObject({ subtitle: '1 pending request', rows: [{ id: t1, model: 'taxi-model v5', requester: 'Rita' }] });
    const none = (await requestsCommand.handler(ctxFor(h, eve), args({}, { pending: true, env: 'preprod' }))).reply.data as RequestsView;
    expect(none).toMatchObject({ subtitle: 'No pending requests to preprod.', rows: [] });
  });
});
