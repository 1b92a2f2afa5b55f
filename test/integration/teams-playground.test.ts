/**
 * The launcher starts the real Microsoft 365 Agents Playground against the real Teams surface, and
 * the Playground's own connector carries a promotion and two clicks (no browser: the Chromium test
 * drives the UI separately). Offline: the Playground runs with telemetry off and no login.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYGROUND_BOT, PLAYGROUND_CONVERSATIONS, playgroundConversations, startPlayground, type Playground } from '../../src/playground';
import { CapturingLogger } from '../fakes/logger';
import { PERSONAL_CHATS } from '../../src/adapters/teams';
import { cardsOf } from '../../src/core/promotion/effects';
import { card } from '../../src/core/cards/views';
import { APPROVALS, startTeamsBot, type TeamsBot } from './teams-harness';

let dir: string;
let bot: TeamsBot;
let playground: Playground;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teams-playground-'));
  bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
  playground = await startPlayground({
    botEndpoint: `${bot.url}/api/messages`, dataDir: join(dir, 'playground'), log: new CapturingLogger(),
    env: { PATH: '/usr/bin:/bin', HOME: dir },
  });
}, 90_000);

afterAll(async () => {
  await playground?.stop();
  await bot?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${playground.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

test('the Playground runs with our mock users and chat ids, its files under dataDir', async () => {
  const { config } = (await (await fetch(`${playground.url}/_internal/v1/config`)).json()) as { config: { currentUser: { id: string }; personalChat: { id: string } } };
  expect(config.currentUser.id).toBe('user-id-0');
  expect(config.personalChat.id).toBe(PLAYGROUND_CONVERSATIONS.personal);
  expect(readFileSync(join(dir, 'playground', 'm365agentsplayground.yml'), 'utf8')).toContain('user-id-2');
});

test('a card posted to a Playground chat before anyone typed there arrives (the bot is named in the reference)', async () => {
  // A reference recorded without the bot's id (by an earlier version) is replaced, not kept.
  for (const { botId: _unknown, ...c } of playgroundConversations(playground.url)) await bot.surface.addConversation(c);
  for (const c of playgroundConversations(playground.url)) await bot.surface.addConversation(c);
  const ref = await bot.surface.chat.post(`teams:${PLAYGROUND_CONVERSATIONS.team}`, card('notice', { title: 'Audit: promotion.approved', text: 'posted before anyone typed', tone: 'good' }));
  expect(ref.messageId).toMatch(/^\d+$/);
});

test('a typed promote, the proactive approval card, a refused self-approval and an approval, all through the Playground', async () => {
  const group = PLAYGROUND_CONVERSATIONS.group;
  for (const c of playgroundConversations(playground.url)) await bot.surface.addConversation(c);
  await bot.surface.link(`teams:${APPROVALS}`, group); // the configured approvals channel is the Playground's group chat
  const typed = await post(`/_conversation/v1/conversations/${encodeURIComponent(group)}/messages`, {
    from: { id: 'user-id-0' }, text: '<at>MLOps</at> promote taxi-model prod', textFormat: 'plain',
    // Outside a personal chat the Playground, like Teams, delivers only messages that mention the bot.
    mentions: [{ mentioned: { ...PLAYGROUND_BOT }, text: '<at>MLOps</at>' }],
  });
  expect(typed.status).toBeLessThan(300);
  const request = await eventually(async () => (await bot.store.listRequests({}))[0]);
  await bot.drain(); // posts the approval card proactively to the group chat
  const refs = await cardsOf(bot.store, request.id);
  const approvalCard = refs.find((r) => r.channel === `teams:${APPROVALS}`);
  expect(approvalCard?.messageId).toMatch(/^\d+$/); // the Playground's connector gave the card an id

  const click = (user: string) => post('/_conversation/v1/invoke', {
    name: 'adaptiveCard/action', from: { id: user }, conversation: { id: group }, replyToId: approvalCard!.messageId,
    value: { action: { type: 'Action.Execute', verb: 'approve', data: { requestId: request.id } } },
  });
  const refused = await click('user-id-0');
  expect(JSON.stringify(refused.body)).toMatch(/Not allowed/);
  const approved = await click('user-id-1');
  const card = JSON.stringify(approved.body);
  expect(card).toMatch(/Approved by Megan Bowen/);
  expect(card).not.toContain('Action.Execute');

  await bot.drain(); // the Azure DevOps decision, then update_cards edits the card in the Playground
  expect(bot.releases.decisions).toEqual([expect.objectContaining({ decision: 'approved' })]);
  // Every effect (card post, decision, card edits through the Playground) completed: none waits for a retry.
  expect(await bot.store.claimEffects(new Date('2100-01-01T00:00:00Z'), 100, 1000)).toEqual([]);
}, 60_000);

test('a private answer to a command typed in the group chat goes to the 1:1 chat the Playground opens', async () => {
  // The Playground's message endpoint always types as its current user (Alex).
  const typed = await post(`/_conversation/v1/conversations/${encodeURIComponent(PLAYGROUND_CONVERSATIONS.group)}/messages`, {
    from: { id: 'user-id-0' }, text: '<at>MLOps</at> whoami', textFormat: 'plain',
    mentions: [{ mentioned: { ...PLAYGROUND_BOT }, text: '<at>MLOps</at>' }],
  });
  expect(typed.status).toBeLessThan(300);
  const chat = await eventually(async () => (await bot.store.getDoc<{ conversationId: string }>(PERSONAL_CHATS, 'user-id-0')) ?? undefined);
  // createConversation for Alex answers with his personal chat with the bot.
  expect(chat.conversationId).toBe(PLAYGROUND_CONVERSATIONS.personal);
  expect(bot.log.lines.some((l) => /could not open a 1:1 chat/.test(l.msg ?? ''))).toBe(false);
  expect(bot.log.lines.some((l) => /private answer sent to the caller's 1:1 chat/.test(l.msg ?? '') && l.obj.conversationId === chat.conversationId)).toBe(true);
}, 30_000);

async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
