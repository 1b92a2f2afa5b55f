/**
 * DESIGN 9.6 in the promotion lifecycle: who Azure DevOps records as the approver (asApprover),
 * `human` refusing unlinked approvers, Azure DevOps refusing the person, and one person across
 * surfaces. The service, the outbox and a real SQLite store over the in-memory Azure DevOps fake.
 */
import { allCommands } from '../../src/core/commands/all';
import { dispatch } from '../../src/core/commands/dispatch';
import type { Caller } from '../../src/core/identity';
import { pollReleases } from '../../src/core/promotion/effects';
import type { PromotionView } from '../../src/core/cards/views';
import { FakeAccountLinks } from '../fakes/account-links';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { alice, bob, harness, rita, withPolicy } from './promotion-harness';

const ALICE_OID = '00000000-0000-4000-8000-00000000a11c';
const linked = (c: Caller, objectId: string): Caller => ({ ...c, linked: { objectId, userPrincipalName: `${c.displayName.toLowerCase()}@contoso.com`, displayName: c.displayName } });

async function awaiting(mode: 'human' | 'prefer-human' | 'bot', links = new FakeAccountLinks(), policy: Record<string, unknown> = {}) {
  const h = await harness(withPolicy({ asApprover: mode, ...policy }), { accountLinks: links });
  const created = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', channel: 'slack:C0TEAM' });
  expect(created.ok && created.request.state).toBe('awaiting_approval');
  await h.drain();
  await pollReleases(h); // the gate is known
  return { ...h, links, id: created.ok ? created.request.id : '' };
}

function card(h: Awaited<ReturnType<typeof awaiting>>): PromotionView {
  const post = h.chat.inChannel('slack:C0APPROVE').find((p) => p.message.template === 'promotion')!;
  return h.chat.latest(post.ref)!.data as PromotionView;
}

describe('approval.asApprover', () => {
  it('human: an unlinked approver is told privately how to link, and nothing changes', async () => {
    const h = await awaiting('human');
    const before = await h.store.getRequest(h.id);
    const res = await h.service.decide({ caller: alice, requestId: h.id, decision: 'approve' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.refusal).toMatchObject({ reason: 'not_linked', code: 'forbidden' });
    expect(res.refusal.remedy).toContain('`link`');
    expect(await h.store.getRequest(h.id)).toEqual(before);
    await h.drain();
    expect(h.releases.decisions).toEqual([]);
    const audit = (await h.store.readAuditChain(0, 100)).at(-1)!;
    expect(audit).toMatchObject({ action: 'promotion.refused', actor: alice.id, detail: { reason: 'not_linked' } });
  });

  it('human: a linked approver grants the Azure DevOps approval with their own token', async () => {
    const links = new FakeAccountLinks().link(alice.id, { objectId: ALICE_OID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com' });
    const h = await awaiting('human', links);
    const res = await h.service.decide({ caller: linked(alice, ALICE_OID), requestId: h.id, decision: 'approve' });
    expect(res.ok && res.request.state).toBe('approved');
    await h.drain();
    expect(h.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'approved', comment: `Approved via MLOps Bot by Alice (request ${h.id})`, asToken: `token-${alice.id}` }]);
    const effect = await h.store.getEffect(`${h.id}:ado_decide:approved`);
    expect(effect?.result).toMatchObject({ as: 'human', approver: alice.id });
    // No token is kept anywhere the bot writes.
    expect(JSON.stringify([effect, await h.store.readAuditChain(0, 100)])).not.toContain('token-');
  });

  it('prefer-human (the default): linked → the person, unlinked → the bot with the comment naming them', async () => {
    const links = new FakeAccountLinks().link(alice.id, { objectId: ALICE_OID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com' });
    const viaHuman = await awaiting('prefer-human', links);
    await viaHuman.service.decide({ caller: linked(alice, ALICE_OID), requestId: viaHuman.id, decision: 'approve' });
    await viaHuman.drain();
    expect(viaHuman.releases.decisions[0].asToken).toBe(`token-${alice.id}`);

    const viaBot = await awaiting('prefer-human');
    await viaBot.service.decide({ caller: bob, requestId: viaBot.id, decision: 'approve' });
    await viaBot.drain();
    expect(viaBot.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'approved', comment: `Approved via MLOps Bot by Bob (request ${viaBot.id})` }]);
    expect((await viaBot.store.getEffect(`${viaBot.id}:ado_decide:approved`))?.result).toMatchObject({ as: 'bot' });
  });

  it('bot: even a linked approver is recorded as the bot', async () => {
    const links = new FakeAccountLinks().link(alice.id, { objectId: ALICE_OID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com' });
    const h = await awaiting('bot', links);
    await h.service.decide({ caller: linked(alice, ALICE_OID), requestId: h.id, decision: 'approve' });
    await h.drain();
    expect(h.releases.decisions[0].asToken).toBeUndefined();
    expect(links.tokenCalls).toBe(0);
  });
});

describe('Azure DevOps refuses the person', () => {
  it('the card says so plainly, the request stays open, it is audited, and another approver can still approve', async () => {
    const links = new FakeAccountLinks()
      .link(alice.id, { objectId: ALICE_OID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com' })
      .link(bob.id, { objectId: '00000000-0000-4000-8000-000000000b0b', displayName: 'Bob', userPrincipalName: 'bob@contoso.com' });
    const h = await awaiting('prefer-human', links);
    h.releases.refusedTokens.set(`token-${alice.id}`, 'not_approver');
    await h.service.decide({ caller: linked(alice, ALICE_OID), requestId: h.id, decision: 'approve' });
    await h.drain();

    const r = (await h.store.getRequest(h.id))!;
    expect(r.state).toBe('awaiting_approval');
    expect(r.approvals).toEqual([]);
    expect(r.adoRefusal).toMatchObject({ by: alice.id, name: 'Alice', reason: 'not_approver', count: 1 });
    expect(h.releases.decisions).toEqual([]);
    const view = card(h);
    expect(view.stateLabel).toBe('Awaiting approval (0 of 1)');
    expect(view.notice).toBe(`Azure DevOps refused the approval of Alice: Alice is not an approver of this stage in Azure DevOps. ${h.id} is still open: an Azure DevOps project admin can add Alice to the stage's approvers and approve again, or another approver can approve.`);
    expect(view.actions.map((a) => a.verb)).toEqual(['approve', 'reject']);
    const actions = (await h.store.readAuditChain(0, 100)).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(['promotion.approved', 'promotion.ado_refused']);
    expect(h.chat.inChannel('slack:C0TEAM').some((p) => JSON.stringify(p.message.data).includes('Azure DevOps refused the approval of Alice'))).toBe(true);

    // The gate is still pending in Azure DevOps: Bob's approval goes through, under a key of its own.
    const again = await h.service.decide({ caller: linked(bob, '00000000-0000-4000-8000-000000000b0b'), requestId: h.id, decision: 'approve' });
    expect(again.ok && again.request.state).toBe('approved');
    await h.drain();
    expect(h.releases.decisions).toEqual([expect.objectContaining({ decision: 'approved', asToken: `token-${bob.id}` })]);
    expect(await h.store.getEffect(`${h.id}:ado_decide:approved:2`)).not.toBeNull();
  });

  it('an expired sign-in reopens the request under human; Entra unreachable is retried, not a refusal', async () => {
    const links = new FakeAccountLinks().link(alice.id, { objectId: ALICE_OID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com' });
    const h = await awaiting('human', links);
    links.failures.set(alice.id, 'unavailable');
    await h.service.decide({ caller: linked(alice, ALICE_OID), requestId: h.id, decision: 'approve' });
    await h.drain();
    expect((await h.store.getRequest(h.id))!.state).toBe('approved'); // still trying
    expect((await h.store.getEffect(`${h.id}:ado_decide:approved`))?.status).toBe('pending');

    links.failures.set(alice.id, 'expired');
    h.clock.advance(10 * 60_000);
    await h.drain();
    const r = (await h.store.getRequest(h.id))!;
    expect(r.state).toBe('awaiting_approval');
    expect(r.adoRefusal).toMatchObject({ reason: 'token_refused' });
    expect(card(h).notice).toContain("Azure DevOps did not accept Alice's sign-in");
    expect(card(h).notice).toContain('`link`');
  });
});

describe('one person across surfaces (the linked Entra object id)', () => {
  const teamsAlice: Caller = { id: 'teams:29:alice', platform: 'teams', displayName: 'Alice (Teams)', aadObjectId: ALICE_OID };

  it('cannot approve on Teams what they requested on Slack', async () => {
    const h = await harness(withPolicy({ approvers: ['slack:U0ALICE', 'teams:29:alice', 'slack:U0BOB'] }));
    const created = await h.service.requestPromotion({ caller: linked(alice, ALICE_OID), model: 'taxi-model', env: 'prod', version: '5' });
    expect(created.ok && created.request.requester.objectId).toBe(ALICE_OID);
    const res = await h.service.decide({ caller: teamsAlice, requestId: 'PR-T1', decision: 'approve' });
    expect(!res.ok && res.refusal.reason).toBe('self_approval');
  });

  it('counts once towards N-of-M when approving from Slack and from Teams', async () => {
    const h = await harness(withPolicy({ approvers: ['slack:U0ALICE', 'teams:29:alice', 'slack:U0BOB'], minApprovals: 2 }));
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    const first = await h.service.decide({ caller: linked(alice, ALICE_OID), requestId: 'PR-T1', decision: 'approve' });
    expect(first.ok && first.request.approvals).toHaveLength(1);
    const second = await h.service.decide({ caller: teamsAlice, requestId: 'PR-T1', decision: 'approve' });
    expect(second.ok && second.changed).toBe(false);
    const r = (await h.store.getRequest('PR-T1'))!;
    expect(r.state).toBe('awaiting_approval');
    expect(r.approvals.map((a) => [a.by, a.objectId])).toEqual([[alice.id, ALICE_OID]]);
    const third = await h.service.decide({ caller: bob, requestId: 'PR-T1', decision: 'approve' });
    expect(third.ok && third.request.state).toBe('approved');
  });
});

describe('the dispatcher looks the link up once per command', () => {
  it('a Slack user linked to the Entra account a `teams:<object id>` entry names is that approver, on every surface', async () => {
    const links = new FakeAccountLinks().link('slack:U0DAVE', { objectId: ALICE_OID, displayName: 'Alice Example', userPrincipalName: 'alice@contoso.com' });
    const settings = withPolicy({ approvers: [`teams:${ALICE_OID}`] });
    const h = await harness(settings, { accountLinks: links });
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    await pollReleases(h);
    const ports = {
      registry: h.registry, releases: h.releases, schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin(),
      directory: h.directory, store: h.store, chat: h.chat, clock: h.clock, accountLinks: links,
    };
    const say = (id: string, text: string) => dispatch({ text, caller: { id, platform: 'slack', displayName: id }, correlationId: `c-${id}` }, { settings, ports, log: h.log, commands: allCommands });
    expect((await say('slack:U0ERIN', 'approve PR-T1')).status).toBe('refused');
    const o = await say('slack:U0DAVE', 'approve PR-T1');
    expect(o.status).toBe('ok');
    const r = (await h.store.getRequest('PR-T1'))!;
    expect(r.approvals).toEqual([expect.objectContaining({ by: 'slack:U0DAVE', objectId: ALICE_OID, asHuman: 'prefer-human' })]);
    await h.drain();
    expect(h.releases.decisions[0].asToken).toBe('token-slack:U0DAVE');
  });
});
