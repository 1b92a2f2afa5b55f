/**
 * Exactly one effect: Slack retries (X-Slack-Retry-Num), repeated deliveries of one click or one
 * modal submission, and real double clicks (two deliveries, two action_ts) never double an approval.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slackRig, type SlackRig } from '../support/slack-rig';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, '../fixtures/slack', name), 'utf8')) as T;

let rig: SlackRig;
beforeEach(async () => { rig = await slackRig(); });
afterEach(async () => { await rig.close(); });

async function awaitingRequest(): Promise<{ id: string; ts: string }> {
  await rig.command('U0ALICE', 'promote taxi-model prod --version 5');
  await rig.settle();
  const [request] = await rig.store.listRequests({});
  return { id: request.id, ts: rig.api.inChannel('C0APPROVE')[0].ts };
}

it('a retried slash command (same trigger_id, X-Slack-Retry-Num: 1) creates one request', async () => {
  const first = await rig.command('U0ALICE', 'promote taxi-model prod --version 5', { trigger: 'trig-1' });
  const retry = await rig.command('U0ALICE', 'promote taxi-model prod --version 5', { trigger: 'trig-1', retryNum: 1 });
  expect([first.status, retry.status]).toEqual([200, 200]);
  expect(retry.text).toBe('');
  await rig.settle();
  expect(await rig.store.listRequests({})).toHaveLength(1);
  expect(rig.releases.startCalls).toBe(1);
  expect(rig.api.inChannel('C0APPROVE')).toHaveLength(1);
  expect(rig.api.responsesTo(retry.responseId)).toEqual([]);
  expect(rig.log.lines.some((l) => l.msg === 'repeated slack delivery ignored' && l.bindings.retryNum === 1)).toBe(true);
});

it('the same click delivered twice at once (a retry) approves once and answers nothing extra', async () => {
  const r = await awaitingRequest();
  const on = { channel: 'C0APPROVE', ts: r.ts };
  const [a, b] = await Promise.all([
    rig.click('U0CAROL', 'approve', { requestId: r.id }, on, { actionTs: '1700000200.000001' }),
    rig.click('U0CAROL', 'approve', { requestId: r.id }, on, { actionTs: '1700000200.000001', retryNum: 1 }),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  await rig.settle();
  expect(rig.releases.decisions).toHaveLength(1);
  expect((await rig.store.getRequest(r.id))!.approvals).toHaveLength(1);
  expect([...rig.api.responsesTo(a.responseId), ...rig.api.responsesTo(b.responseId)]).toEqual([]);
});

it('a double click (two deliveries, two action_ts) approves once and posts nothing new', async () => {
  const r = await awaitingRequest();
  const on = { channel: 'C0APPROVE', ts: r.ts };
  const first = await rig.click('U0CAROL', 'approve', { requestId: r.id }, on);
  const second = await rig.click('U0CAROL', 'approve', { requestId: r.id }, on);
  await rig.settle();
  expect(rig.releases.decisions).toHaveLength(1);
  expect((await rig.store.getRequest(r.id))!.approvals.map((x) => x.by)).toEqual(['slack:U0CAROL']);
  // The second approval by the same person is a no-op for the core, so neither click needs a reply.
  expect([...rig.api.responsesTo(first.responseId), ...rig.api.responsesTo(second.responseId)]).toEqual([]);
  expect(rig.api.inChannel('C0APPROVE')).toHaveLength(1);
  expect(rig.api.inChannel('C0AUDIT').filter((m) => /approved/.test(m.text))).toHaveLength(1);
});

it('a modal submission delivered twice rejects once', async () => {
  const r = await awaitingRequest();
  const view = fixture<{ view: Record<string, unknown> }>('view-submission.json');
  const payload = { ...view, user: { id: 'U0CAROL', username: 'carol', name: 'carol', team_id: 'T0TEAM' }, view: { ...view.view, private_metadata: JSON.stringify({ requestId: r.id, channel: 'C0APPROVE' }) } };
  const [a, b] = await Promise.all([rig.send.interaction(payload), rig.send.interaction(payload, { retryNum: 1 })]);
  expect([a.status, b.status]).toEqual([200, 200]);
  await rig.settle();
  expect((await rig.store.getRequest(r.id))!.state).toBe('rejected');
  expect(rig.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'rejected', comment: `Rejected via MLOps Bot by carol (request ${r.id}): rmse regressed on the holdout set` }]);
  expect(rig.api.callsOf('chat.postEphemeral')).toEqual([]);
});

it('a retried Events API delivery (same event_id) is handled once', async () => {
  const event = fixture<Record<string, unknown>>('event-tokens-revoked.json');
  expect(await rig.surface.ready()).toBe(true);
  const [a, b] = [await rig.send.event(event), await rig.send.event(event, { retryNum: 1 })];
  expect([a.status, b.status]).toEqual([200, 200]);
  await rig.settle();
  expect(rig.log.lines.filter((l) => /tokens_revoked/.test(l.msg ?? '') && l.level === 'error')).toHaveLength(1);
  expect(await rig.surface.ready()).toBe(false);
});
