/**
 * The outbound side against the fake Slack Web API over HTTP: the Chat port (post, edit in place,
 * DMs by user id, Slack errors as coded errors with Retry-After), the Directory (users.info cached
 * with a TTL) and readiness for /healthz.
 */
import { card } from '../../src/core/cards/views';
import { BotError } from '../../src/core/errors';
import { BOT_TOKEN, slackRig, type SlackRig } from '../support/slack-rig';

const notice = (title: string) => card('notice', { title, text: 'body', tone: 'info' });

describe('Chat for slack: channels', () => {
  let rig: SlackRig;
  beforeEach(async () => { rig = await slackRig(); });
  afterEach(async () => { await rig.close(); });

  it('posts Block Kit with the bot token and edits the same message in place', async () => {
    const ref = await rig.surface.chat.post('slack:C0TEAM', notice('First'));
    expect(ref.channel).toBe('slack:C0TEAM');
    await rig.surface.chat.update(ref, notice('Second'));
    const [post] = rig.api.callsOf('chat.postMessage');
    const [update] = rig.api.callsOf('chat.update');
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.args).toMatchObject({ channel: 'C0TEAM', text: 'First', unfurl_links: 'false' }); // form-encoded, as Slack receives it
    expect(Array.isArray(post.args.blocks)).toBe(true);
    expect(update.args).toMatchObject({ channel: 'C0TEAM', ts: ref.messageId, text: 'Second' });
    expect(rig.api.messages.get(`C0TEAM/${ref.messageId}`)).toMatchObject({ text: 'Second', edits: 1 });
  });

  it('opens a DM for a user id once, and the ref names the DM so edits land there', async () => {
    const a = await rig.surface.chat.post('slack:U0DAVE', notice('Hello'));
    const b = await rig.surface.chat.post('slack:U0DAVE', notice('Again'));
    expect(rig.api.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['U0DAVE']);
    expect([a.channel, b.channel]).toEqual(['slack:D0DAVE', 'slack:D0DAVE']);
    await rig.surface.chat.update(a, notice('Edited'));
    expect(rig.api.callsOf('chat.update')[0].args).toMatchObject({ channel: 'D0DAVE', ts: a.messageId });
  });

  it('a 429 becomes upstream_throttled carrying Retry-After for the outbox', async () => {
    rig.api.rateLimitNext('chat.postMessage', 7);
    const err = await rig.surface.chat.post('slack:C0TEAM', notice('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotError);
    expect(err).toMatchObject({ code: 'upstream_throttled', details: { retryAfterMs: 7000 } });
    expect(rig.api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('a channel the bot is not in is a configuration problem with the remedy', async () => {
    rig.api.notInChannel.add('C0SECRET');
    await expect(rig.surface.chat.post('slack:C0SECRET', notice('x'))).rejects.toMatchObject({ code: 'config_invalid', remedy: expect.stringContaining('/invite') });
  });

  it('editing a message that is gone is reported, not swallowed', async () => {
    await expect(rig.surface.chat.update({ channel: 'slack:C0TEAM', messageId: '1.000' }, notice('x'))).rejects.toMatchObject({ code: 'upstream_invalid' });
  });

  it('refuses ids of other platforms', async () => {
    await expect(rig.surface.chat.post('teams:19:abc', notice('x'))).rejects.toMatchObject({ code: 'config_invalid' });
  });
});

describe('Directory for slack: principals', () => {
  let rig: SlackRig;
  beforeEach(async () => { rig = await slackRig(); });
  afterEach(async () => { await rig.close(); });

  it('resolves the email with users.info, lower-cased, and caches it in the store until the TTL', async () => {
    expect(await rig.surface.directory.emailOf('slack:U0CAROL')).toBe('carol@contoso.com');
    expect(await rig.surface.directory.emailOf('slack:U0CAROL')).toBe('carol@contoso.com');
    expect(rig.api.callsOf('users.info')).toHaveLength(1);
    rig.clock.advance(7 * 3_600_000);
    rig.api.users.set('U0CAROL', { name: 'carol', email: 'carol.new@contoso.com' });
    expect(await rig.surface.directory.emailOf('slack:U0CAROL')).toBe('carol.new@contoso.com');
    expect(rig.api.callsOf('users.info')).toHaveLength(2);
  });

  it('concurrent lookups of one person share one call; unknown users and bots have no email', async () => {
    const both = await Promise.all([rig.surface.directory.emailOf('slack:U0DAVE'), rig.surface.directory.emailOf('slack:U0DAVE')]);
    expect(both).toEqual(['dave@contoso.com', 'dave@contoso.com']);
    expect(rig.api.callsOf('users.info')).toHaveLength(1);
    expect(await rig.surface.directory.emailOf('slack:U0NOBODY')).toBeUndefined();
    rig.api.users.set('U0ROBOT', { name: 'robot', email: 'robot@contoso.com', is_bot: true });
    expect(await rig.surface.directory.emailOf('slack:U0ROBOT')).toBeUndefined();
    expect(await rig.surface.directory.emailOf('teams:29:x')).toBeUndefined();
  });

  it('a Slack outage is an error, not a silent "no email" (and is not cached)', async () => {
    rig.api.rateLimitNext('users.info', 3);
    await expect(rig.surface.directory.emailOf('slack:U0CAROL')).rejects.toMatchObject({ code: 'upstream_throttled' });
    expect(await rig.surface.directory.emailOf('slack:U0CAROL')).toBe('carol@contoso.com');
  });

  it('group membership is denied without a resolver, delegated (with the email) with one', async () => {
    expect(await rig.surface.directory.isMemberOf({ id: 'slack:U0CAROL' }, 'g-1')).toBe(false);
    const seen: unknown[] = [];
    const withGroups = await slackRig({ groups: { isMemberOf: async (p, g) => { seen.push([p, g]); return p.email === 'carol@contoso.com'; } } });
    try {
      expect(await withGroups.surface.directory.isMemberOf({ id: 'slack:U0CAROL' }, 'g-1')).toBe(true);
      expect(seen).toEqual([[{ id: 'slack:U0CAROL', email: 'carol@contoso.com' }, 'g-1']]);
    } finally {
      await withGroups.close();
    }
  });
});

describe('readiness', () => {
  it('is ready once auth.test passed; before that Slack gets 503 and nothing runs', async () => {
    const rig = await slackRig({ noStart: true });
    try {
      expect(await rig.surface.ready()).toBe(false);
      const early = await rig.command('U0DAVE', 'help');
      expect(early.status).toBe(503);
      await rig.surface.start();
      expect(await rig.surface.ready()).toBe(true);
      expect(rig.api.callsOf('auth.test')).toHaveLength(1);
      expect((await rig.command('U0DAVE', 'help')).status).toBe(200);
    } finally {
      await rig.close();
    }
  });

  it('a rejected token leaves the surface not ready (and start does not throw)', async () => {
    const rig = await slackRig({ config: { botToken: 'xoxp-not-a-bot-token', initRetryMs: 60_000 } });
    try {
      expect(await rig.surface.ready()).toBe(false);
      expect(rig.log.lines.some((l) => l.msg === 'slack start failed; retrying')).toBe(true);
      expect(rig.log.text()).not.toContain('xoxp-not-a-bot-token');
    } finally {
      await rig.close();
    }
  });
});
