/**
 * Posts to several channels are one outbox effect per channel: a channel that fails (an
 * uninstalled Teams app listed first) never keeps the others from their card, and the retry posts
 * only where it failed. Audit entries of transitions go through the audit fan-out the same way.
 */
import type { AuditPostPayload } from '../../src/core/audit/fan-out';
import type { MessageRef } from '../../src/core/ports';
import { cardsOf, rememberCard } from '../../src/core/promotion/effects';
import type { BotSettings } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';
import { alice, bob, harness, pendingEffects, rita } from './promotion-harness';

const GONE = 'teams:19:gone';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** prod with the broken Teams channel first in its approvals and audit channels. */
function settingsWithBrokenFirst(minApprovals = 1): BotSettings {
  const s = testSettings();
  s.environments = s.environments.map((e) => e.name !== 'prod' ? e : {
    ...e,
    approval: { ...e.approval!, minApprovals },
    channels: { ...e.channels, approvals: [GONE, 'slack:C0APPROVE'], audit: [GONE, 'slack:C0AUDIT'] },
  });
  return s;
}

/** A harness whose chat refuses every post and update to the channels in `down`. */
async function brokenHarness(settings = settingsWithBrokenFirst()) {
  const h = await harness(settings);
  const down = new Set([GONE]);
  const post = h.chat.post.bind(h.chat);
  const update = h.chat.update.bind(h.chat);
  h.chat.post = async (channel, message) => { if (down.has(channel)) throw new Error(`${channel}: app not installed`); return post(channel, message); };
  h.chat.update = async (ref, message) => { if (down.has(ref.channel)) throw new Error(`${ref.channel}: app not installed`); return update(ref, message); };
  /** Lets every failed effect come due again (backoff is capped at a minute) and runs the outbox. */
  const retry = async () => { h.clock.advance(MINUTE); await h.drain(); };
  return { ...h, down, retry };
}

const templates = (h: Awaited<ReturnType<typeof harness>>, channel: string) => h.chat.inChannel(channel).map((p) => p.message.template);
/** What a channel received besides audit cards (the broken channel is an audit channel too). */
const cards = (h: Awaited<ReturnType<typeof harness>>, channel: string) => templates(h, channel).filter((t) => t !== 'audit-entry');

describe('approval cards, one effect per channel', () => {
  it('the first channel failing does not keep the card from the second; the retry posts only to the failed one', async () => {
    const h = await brokenHarness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    expect(templates(h, 'slack:C0APPROVE')).toEqual(['promotion']);
    expect(await h.store.getEffect(`PR-T1:post_approval_card:${GONE}`)).toMatchObject({ status: 'pending', attempts: 1, lastError: `${GONE}: app not installed` });
    expect(await h.store.getEffect('PR-T1:post_approval_card:slack:C0APPROVE')).toMatchObject({ status: 'done', attempts: 1 });

    await h.retry(); // still down: only the Teams effect runs again
    expect((await h.store.getEffect(`PR-T1:post_approval_card:${GONE}`))!.attempts).toBe(2);
    h.down.clear();
    await h.retry();
    expect(cards(h, GONE)).toEqual(['promotion']);
    expect(templates(h, 'slack:C0APPROVE')).toEqual(['promotion']);
    const refs = await cardsOf(h.store, 'PR-T1');
    expect(refs!.map((r) => r.channel).sort()).toEqual(['slack:C0APPROVE', GONE].sort());
  });

  it('a channel that stays down is retried alone until the approval would expire; the other channels keep working', async () => {
    const h = await brokenHarness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    // Past the outbox's general deadline (30 min), not past the approval's expiry (72 h).
    for (let i = 0; i < 40; i++) await h.retry();
    expect(await h.store.getEffect(`PR-T1:post_approval_card:${GONE}`)).toMatchObject({ status: 'pending', attempts: 40 });
    await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    await h.drain();
    const slack = h.chat.inChannel('slack:C0APPROVE')[0];
    expect(h.chat.latest(slack.ref)!.data).toMatchObject({ stateLabel: 'Approved' });
  });
});

describe('card updates, every remembered card', () => {
  it('an update failing for one card does not keep the others stale; the retry edits only the failed one', async () => {
    const h = await brokenHarness();
    h.down.clear();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    const [gone] = h.chat.inChannel(GONE);
    const [slack] = h.chat.inChannel('slack:C0APPROVE');
    h.down.add(GONE);

    const approved = await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    await h.drain();
    const key = `PR-T1:update_cards:${approved.request!.revision}`;
    expect(h.chat.latest(slack.ref)!.data).toMatchObject({ stateLabel: 'Approved' });
    expect(await h.store.getEffect(key)).toMatchObject({ status: 'pending', lastError: `${GONE}: app not installed` });
    const slackEdits = () => h.chat.updates.filter((u) => u.ref.messageId === slack.ref.messageId).length;
    const before = slackEdits();

    h.down.clear();
    await h.retry();
    expect(await h.store.getEffect(key)).toMatchObject({ status: 'done', result: { updated: 1, alreadyUpdated: 1 } });
    expect(slackEdits()).toBe(before);
    expect(h.chat.latest(gone.ref)!.data).toMatchObject({ stateLabel: 'Approved' });
    expect(await h.store.getDoc('effect-progress', key)).toBeNull();
  });

  it('several failing cards: every card is still tried and the error names them all', async () => {
    const h = await brokenHarness();
    h.down.clear();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', channel: 'slack:C0TEAM' });
    await h.drain();
    h.down.add(GONE).add('slack:C0APPROVE');
    const status = await h.chat.post('slack:C0TEAM', h.chat.inChannel('slack:C0APPROVE')[0].message);
    await rememberCard(h.store, 'PR-T1', status);
    const approved = await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    await h.drain();
    expect(h.chat.latest(status)!.data).toMatchObject({ stateLabel: 'Approved' });
    const effect = await h.store.getEffect(`PR-T1:update_cards:${approved.request!.revision}`);
    expect(effect!.lastError).toMatch(/^2 of 3 failed: /);
    expect(effect!.lastError).toContain(GONE);
    expect(effect!.lastError).toContain('slack:C0APPROVE');
  });
});

describe('reminders, one effect per channel', () => {
  it('reach the second channel when the first fails', async () => {
    const h = await brokenHarness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    h.clock.advance(24 * HOUR);
    expect(await h.service.tick()).toBe(1);
    await h.drain();
    expect(templates(h, 'slack:C0APPROVE')).toEqual(['promotion', 'notice']);
    expect(await h.store.getEffect(`PR-T1:remind_approvers:1:${GONE}`)).toMatchObject({ status: 'pending' });
    h.down.clear();
    await h.retry();
    expect(cards(h, GONE)).toEqual(['promotion', 'notice']);
    expect(templates(h, 'slack:C0APPROVE')).toEqual(['promotion', 'notice']);
  });
});

describe('audit posts of transitions', () => {
  it('go through the audit fan-out: recorded with the transition, one effect per channel, the audit-entry card', async () => {
    const h = await brokenHarness(settingsWithBrokenFirst(2));
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', correlationId: 'c-1' });
    await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' }); // 1 of 2: no state change
    await h.service.decide({ caller: bob, requestId: 'PR-T1', decision: 'approve' });
    const posts = (await pendingEffects(h.raw, h.clock.now())).filter((e) => e.kind === 'audit-post');
    expect(posts.map((e) => e.key)).toEqual([`audit:PR-T1:1:0:${GONE}`, 'audit:PR-T1:1:0:slack:C0AUDIT', `audit:PR-T1:3:0:${GONE}`, 'audit:PR-T1:3:0:slack:C0AUDIT']);
    const [requested] = await h.store.listAudit({ requestId: 'PR-T1', limit: 1000 }).then((es) => es.filter((e) => e.action === 'promotion.requested'));
    const { seq: _s, at: _a, prevHash: _p, hash: _h, ...stored } = requested;
    expect((posts[1].payload as unknown as AuditPostPayload).entry).toEqual(stored);
  });

  it('a failing audit channel does not hold back the other', async () => {
    const h = await brokenHarness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.drain();
    expect(h.chat.inChannel('slack:C0AUDIT').map((p) => p.message.data)).toEqual([expect.objectContaining({ title: 'Audit #1: promotion.requested' })]);
    h.down.clear();
    await h.retry();
    expect(templates(h, GONE)).toEqual(['promotion', 'audit-entry']);
    expect(h.chat.inChannel('slack:C0AUDIT')).toHaveLength(1);
  });

  it('the entry of a step keeps its words for the audit card', async () => {
    const h = await harness();
    await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    await h.service.decide({ caller: alice, requestId: 'PR-T1', decision: 'approve' });
    await h.drain();
    const approved = h.chat.inChannel('slack:C0AUDIT').map((p) => p.message.data as { title: string; facts: { title: string; value: string }[] })
      .find((d) => d.title.endsWith(': promotion.approved'))!;
    expect(approved.facts).toEqual(expect.arrayContaining([{ title: 'Summary', value: 'approved by Alice · prod · taxi-model · PR-T1' }]));
  });
});
