/**
 * The Teams transport on a real port: mentions, identity, private answers in 1:1 chats, retries,
 * proactive posts after a restart, references and aliases, and inbound authentication.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousGuard, CONVERSATIONS, PERSONAL_CHATS } from '../../src/adapters/teams';
import { card } from '../../src/core/cards/views';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { activity, APPROVALS, cardText, PERSONAL, startTeamsBot, USERS, type TeamsBot } from './teams-harness';

let dir: string;
let connector: FakeConnector;
let bot: TeamsBot | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teams-transport-'));
  connector = await startFakeConnector();
});

afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const content = (i: number) => (connector.calls[i].body.attachments as { content: unknown }[])[0].content;
const notice = card('notice', { title: 'Audit: approved', text: 'PR-ABCDE approved by Megan Bowen', tone: 'info' });

describe('messages', () => {
  beforeEach(async () => { bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') }); });

  test('a channel @mention is stripped; a private answer goes to the caller\'s 1:1 chat, not the thread', async () => {
    // A display name the command parser does not know: only removing the bot's own mention helps.
    const res = await bot!.send(activity('message-channel-mention', connector, {
      text: '<at>Model Ops</at> whoami',
      entities: [{ type: 'mention', text: '<at>Model Ops</at>', mentioned: { id: '00000000-0000-0000-0000-00000000000011', name: 'Model Ops' } }],
    }));
    expect(res.status).toBe(200);
    expect(connector.created).toHaveLength(1);
    expect(connector.created[0].body).toMatchObject({
      isGroup: false, members: [{ id: 'user-id-3' }], bot: { id: '00000000-0000-0000-0000-00000000000011' },
      tenantId: '00000000-0000-0000-0000-0000000000001', channelData: { tenant: { id: '00000000-0000-0000-0000-0000000000001' } },
    });
    const [reply] = connector.calls;
    expect(reply.conversationId).toBe(connector.created[0].id);
    expect(reply.body.text).toBeUndefined();
    expect(connector.posts().filter((c) => c.conversationId.startsWith(APPROVALS))).toEqual([]);
    // Not configured anywhere: the principal is the Entra object id.
    expect(cardText(content(0))).toContain('teams:00000000-0000-0000-0000-0000000000023');
    expect(await bot!.store.getDoc(PERSONAL_CHATS, 'user-id-3')).toMatchObject({ conversationId: connector.created[0].id });
  });

  test('the next private answer reuses that 1:1 chat; one learnt from the user writing to the bot is used too', async () => {
    await bot!.send(activity('message-channel-mention', connector));
    await bot!.send(activity('message-channel-mention', connector));
    expect(connector.created).toHaveLength(1);
    expect(connector.posts(connector.created[0].id)).toHaveLength(2);

    await bot!.send(activity('message-personal', connector, { from: USERS.megan, conversation: { id: 'megan-chat', conversationType: 'personal', tenantId: '00000000-0000-0000-0000-0000000000001' }, text: 'help' }));
    await bot!.send(activity('message-channel-mention', connector, { from: USERS.megan }));
    expect(connector.created).toHaveLength(1);
    expect(connector.posts('megan-chat')).toHaveLength(2);
  });

  test('when no 1:1 chat can be opened, the answer goes in the thread with a note saying so', async () => {
    connector.refuseCreate = true;
    await bot!.send(activity('message-channel-mention', connector));
    expect(connector.created).toEqual([expect.objectContaining({ refused: true })]);
    const [reply] = connector.calls;
    expect(reply.conversationId).toBe(`${APPROVALS};messageid=1731930000100`);
    expect(reply.activityId).toMatch(/^1731930000100-/);
    expect(reply.body.text).toMatch(/^For Isaiah Langer: I could not open a private chat with you, so this answer is here in the thread/);
    expect(bot!.log.lines.some((l) => l.level === 'warn' && /could not open a 1:1 chat/.test(l.msg ?? ''))).toBe(true);
  });

  test('a public answer in a channel stays in the thread', async () => {
    await bot!.send(activity('message-channel-mention', connector, { text: '<at>MLOps</at> models' }));
    expect(connector.created).toEqual([]);
    expect(connector.calls[0].conversationId).toBe(`${APPROVALS};messageid=1731930000100`);
  });

  test('in a personal chat the bare command works and a private answer is a plain reply', async () => {
    await bot!.send(activity('message-personal', connector, { from: USERS.megan, text: '/mlops whoami' }));
    const [reply] = connector.calls;
    expect(reply.conversationId).toBe(PERSONAL);
    expect(reply.body.text).toBeUndefined();
    // Megan is configured by her Teams user id, so that spelling is her principal.
    expect(cardText(content(0))).toContain('teams:user-id-1');
  });

  test('a redelivered message (same activity id) is answered once', async () => {
    const message = activity('message-personal', connector, { text: 'whoami' });
    await bot!.send(message);
    await bot!.send(message);
    expect(connector.posts(PERSONAL)).toHaveLength(1);
  });

  test('an invoke the bot does not handle gets 501 and changes nothing', async () => {
    const res = await bot!.send(activity('invoke-action-execute', connector, { name: 'composeExtension/query' }));
    expect(res.status).toBe(501);
    expect(connector.calls).toHaveLength(0);
  });
});

describe('proactive posts and references', () => {
  test('survive a restart: a new surface on the same store file posts and edits in the channel', async () => {
    const dbFile = join(dir, 'bot.db');
    bot = await startTeamsBot({ dbFile });
    await bot.send(activity('message-channel-mention', connector)); // a threaded message: the channel is remembered
    await bot.close();
    bot = await startTeamsBot({ dbFile });
    const ref = await bot.surface.chat.post(`teams:${APPROVALS}`, notice);
    expect(ref.channel).toBe(`teams:${APPROVALS}`);
    const post = connector.calls[connector.calls.length - 1];
    expect(post).toMatchObject({ method: 'POST', conversationId: APPROVALS });
    expect(cardText(post.body)).toContain('PR-ABCDE approved by Megan Bowen');
    await bot.surface.chat.update(ref, card('notice', { title: 'Audit', text: 'edited', tone: 'good' }));
    expect(connector.updates(ref.messageId)).toHaveLength(1);
  });

  test('missing references are reported with the fix; an alias links a configured name to a known conversation', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
    await bot.send(activity('installation-update-channel', connector));
    const missing = await bot.surface.missingReferences(['teams:demo-approvals', `teams:${APPROVALS}`, 'slack:C0APPROVE']);
    expect(missing).toEqual([{ channel: 'teams:demo-approvals', fix: expect.stringMatching(/Install the MLOps app in that team/) }]);
    await expect(bot.surface.chat.post('teams:demo-approvals', notice)).rejects.toThrow(/no Teams conversation reference for teams:demo-approvals/);

    await bot.surface.link('teams:demo-approvals', APPROVALS);
    expect(await bot.surface.missingReferences(['teams:demo-approvals'])).toEqual([]);
    const ref = await bot.surface.chat.post('teams:demo-approvals', notice);
    expect(ref.channel).toBe('teams:demo-approvals');
    expect(connector.calls[connector.calls.length - 1].conversationId).toBe(APPROVALS);
  });

  test('removing the app forgets the conversation', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
    await bot.send(activity('installation-update-channel', connector));
    expect(await bot.store.listDocs(CONVERSATIONS)).toHaveLength(1);
    await bot.send(activity('installation-update-channel', connector, { action: 'remove' }));
    expect(await bot.store.listDocs(CONVERSATIONS)).toHaveLength(0);
  });
});

describe('inbound trust', () => {
  test('with an app id, a missing or garbage token gets 401 and no effect', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-a-real-secret' });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const none = await bot.send(activity('message-personal', connector, { text: 'whoami' }));
      const garbage = await bot.send(activity('message-personal', connector, { text: 'whoami' }), { authorization: 'Bearer not.a.jwt' });
      expect([none.status, garbage.status]).toEqual([401, 401]);
    } finally {
      quiet.mockRestore();
    }
    expect(connector.calls).toHaveLength(0);
    expect(await bot.store.listDocs(CONVERSATIONS)).toHaveLength(0);
    expect(bot.log.text()).not.toContain('not-a-real-secret');
  });

  test('anonymous mode says so at start-up', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
    expect(bot.log.lines.some((l) => l.level === 'warn' && /only clients on this machine/.test(l.msg ?? ''))).toBe(true);
  });

  test('the anonymous guard refuses clients that are not on this machine', () => {
    const from = (remoteAddress: string) => ({ socket: { remoteAddress } }) as never;
    expect(anonymousGuard(from('10.1.2.3'), true)).toMatchObject({ status: 403 });
    expect(anonymousGuard(from('::ffff:192.168.0.9'), true)).toMatchObject({ status: 403 });
    expect(anonymousGuard(from('127.0.0.1'), true)).toBeNull();
    expect(anonymousGuard(from('::1'), true)).toBeNull();
    expect(anonymousGuard(from('10.1.2.3'), false)).toBeNull();
  });
});
