/**
 * The promotion story through the real CloudAdapter: a typed promote in a personal chat, the
 * approval card posted proactively to the approvals channel, a refused self-approval answered to
 * the requester only, a second user's approval, the Azure DevOps decision, and the card edited in place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { activity, APPROVALS, cardText, click, executeVerbs, PERSONAL, startTeamsBot, USERS, type TeamsBot } from './teams-harness';

let dir: string;
let connector: FakeConnector;
let bot: TeamsBot;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teams-flow-'));
  connector = await startFakeConnector();
  bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
  // The app is installed in the approvals channel: the bot keeps that conversation's reference.
  expect((await bot.send(activity('installation-update-channel', connector))).status).toBe(200);
});

afterEach(async () => {
  await bot.close();
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const card = (call: { body: Record<string, unknown> }) => (call.body.attachments as { content: Record<string, unknown> }[])[0].content;

async function promote(): Promise<{ requestId: string; approvalCardId: string }> {
  const res = await bot.send(activity('message-personal', connector, { text: 'promote taxi-model prod' }));
  expect(res.status).toBe(200);
  const [reply] = connector.posts(PERSONAL);
  expect(reply.activityId).toMatch(/^1731930000001-/); // a reply to the typed message
  const requestId = /Request (PR-[A-Z0-9]{5})/.exec(cardText(card(reply)))![1];
  await bot.drain();
  const [approval] = connector.posts(APPROVALS);
  // A proactive post replies to a fresh continuation id, never to an old message.
  expect(approval.activityId).not.toMatch(/install/);
  return { requestId, approvalCardId: approval.newId! };
}

test('promote → approval card in the approvals channel with Execute buttons and a refresh for the approvers', async () => {
  const { requestId } = await promote();
  const approval = card(connector.posts(APPROVALS)[0]);
  expect(executeVerbs(approval)).toEqual(['approve', 'reject']);
  // Megan is configured by Teams user id; Adele by Entra object id, unknown until she talks to the bot.
  expect(approval.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { requestId } }, userIds: ['user-id-1'] });
  expect(bot.releases.releases).toHaveLength(1);
  expect(bot.releases.decisions).toHaveLength(0);
});

test('the requester\'s Approve is refused in the invoke answer, then another approver approves and the card follows', async () => {
  const { requestId, approvalCardId } = await promote();
  const before = connector.calls.length;

  const refused = await bot.send(click(connector, USERS.alex, 'approve', { requestId }, { }));
  expect(refused.status).toBe(200);
  expect(refused.body.statusCode).toBe(200);
  expect(refused.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardText(refused.body.value)).toMatch(/Not allowed/);
  expect(executeVerbs(refused.body.value)).toEqual([]);
  expect(connector.calls.length).toBe(before); // nothing posted for everyone

  const approved = await bot.send(click(connector, USERS.megan, 'approve', { requestId }, { trigger: 'manual' }));
  expect(approved.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardText(approved.body.value)).toMatch(/Approved by Megan Bowen/);
  expect(executeVerbs(approved.body.value)).toEqual([]);

  await bot.drain();
  expect(bot.releases.decisions).toEqual([expect.objectContaining({ decision: 'approved', comment: expect.stringContaining(requestId) })]);
  const edits = connector.updates(approvalCardId);
  expect(edits.length).toBeGreaterThan(0);
  expect(edits[edits.length - 1].conversationId).toBe(APPROVALS);
  expect(cardText(card(edits[edits.length - 1]))).toMatch(/Approved by Megan Bowen/);
  expect(executeVerbs(card(edits[edits.length - 1]))).toEqual([]);
  // The requester's own status card in the personal chat is edited too.
  const personalCard = connector.posts(PERSONAL)[0].newId!;
  expect(connector.updates(personalCard).length).toBeGreaterThan(0);
  expect(await bot.store.claimEffects(new Date('2100-01-01T00:00:00Z'), 100, 1000)).toEqual([]);
});

test('Reject asks for a reason first; the second click with the reason rejects in Azure DevOps', async () => {
  const { requestId } = await promote();
  const first = await bot.send(click(connector, USERS.adele, 'reject', { requestId }));
  const form = first.body.value;
  expect(JSON.stringify(form)).toContain('"type":"Input.Text"');
  expect(executeVerbs(form)).toEqual(['reject']);
  expect(bot.releases.decisions).toHaveLength(0);

  const second = await bot.send(click(connector, USERS.adele, 'reject', { requestId, reason: 'rmse regressed on the holdout set' }));
  expect(cardText(second.body.value)).toMatch(/Rejected by Adele Vance: rmse regressed on the holdout set/);
  await bot.drain();
  expect(bot.releases.decisions).toEqual([expect.objectContaining({ decision: 'rejected' })]);
});

test('a non-approver clicking Reject gets the refusal, not the reason box', async () => {
  const { requestId } = await promote();
  const res = await bot.send(click(connector, USERS.isaiah, 'reject', { requestId }));
  expect(cardText(res.body.value)).toMatch(/Not allowed/);
  expect(JSON.stringify(res.body.value)).not.toContain('Input.Text');
});

test('refresh: approvers get the buttons, the requester and others get the status', async () => {
  const { requestId } = await promote();
  const asMegan = await bot.send(click(connector, USERS.megan, 'refresh', { requestId }, { trigger: 'automatic' }));
  expect(executeVerbs(asMegan.body.value)).toEqual(['approve', 'reject']);
  const asAlex = await bot.send(click(connector, USERS.alex, 'refresh', { requestId }, { trigger: 'automatic' }));
  expect(executeVerbs(asAlex.body.value)).toEqual([]);
  expect(cardText(asAlex.body.value)).toMatch(/You requested this/);
  const asIsaiah = await bot.send(click(connector, USERS.isaiah, 'refresh', { requestId }));
  expect(executeVerbs(asIsaiah.body.value)).toEqual([]);
  // Once Adele has talked to the bot, her Entra object id maps to her Teams id in the refresh list.
  expect(asMegan.body.value.refresh.userIds).toEqual(['user-id-1']);
  await bot.send(activity('message-personal', connector, { from: USERS.adele, text: 'whoami', conversation: { id: 'adele-chat', conversationType: 'personal' } }));
  const again = await bot.send(click(connector, USERS.megan, 'refresh', { requestId }, { trigger: 'automatic' }));
  expect(again.body.value.refresh.userIds).toEqual(['user-id-1', 'user-id-2']);
});

test('Action.Submit fallback: a message with value runs the same approval', async () => {
  const { requestId } = await promote();
  const submit = activity('message-submit', connector, { from: USERS.adele, value: { requestId, verb: 'approve' } });
  const res = await bot.send(submit);
  expect(res.status).toBe(200);
  await bot.drain();
  expect(bot.releases.decisions).toEqual([expect.objectContaining({ decision: 'approved' })]);
  // The approver's own confirmation is private: it goes to her 1:1 chat, opened for it.
  expect(connector.created).toEqual([expect.objectContaining({ body: expect.objectContaining({ members: [expect.objectContaining({ id: 'user-id-2' })] }) })]);
  expect(connector.posts(APPROVALS).find((c) => c.activityId === submit.id)).toBeUndefined();
  const [reply] = connector.posts(connector.created[0].id!);
  expect(cardText(card(reply))).toMatch(/Approved by Adele Vance/);
});

test('a rollout card\'s Pause answers the clicker with the rollout card as it is now; a refused Resume keeps the card with the refusal on top', async () => {
  const at = new Date().toISOString();
  await bot.store.createRollout({
    id: 'RO-TEAMS', revision: 1, status: 'running', model: 'taxi-model', version: '5', env: 'prod', endpoint: 'taxi-online', canary: 'green', baseline: 'blue',
    steps: [10, 50, 100], stepIndex: 0, phase: 'watching', stepTries: 0, everyMs: 900_000, thresholds: { maxErrorRate: 0.01, maxLatencyIncrease: 0.25 },
    policySource: 'defaults', others: {}, emptyChecks: 0, checks: [], requester: { id: 'teams:user-id-1', name: 'Megan Bowen' }, createdAt: at, updatedAt: at,
  }, [], []);
  const paused = await bot.send(click(connector, USERS.alex, 'rollout-pause', { rolloutId: 'RO-TEAMS' }));
  expect(cardText(paused.body.value)).toMatch(/Rollout taxi-model v5 in prod[\s\S]*Paused at 10%/);
  expect(executeVerbs(paused.body.value)).toEqual(['rollout-resume', 'rollout-abort']);
  const refused = await bot.send(click(connector, USERS.alex, 'rollout-resume', { rolloutId: 'RO-TEAMS' }));
  expect(cardText(refused.body.value)).toMatch(/Not allowed[\s\S]*may not resume rollout RO-TEAMS[\s\S]*Paused at 10%/);
  expect((await bot.store.getRollout('RO-TEAMS'))!.status).toBe('paused');
});
