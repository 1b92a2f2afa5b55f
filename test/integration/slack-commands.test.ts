/**
 * Where answers go: private outcomes and errors to the caller alone (response_url, ephemeral),
 * public ones as channel messages the bot can edit later; the Reject button's modal; and no user
 * text reaching Slack unescaped.
 */
import type { BotCore } from '../../src/core/surface';
import { slackRig, type SlackRig } from '../support/slack-rig';

const asText = (v: unknown): string => JSON.stringify(v);

/**
 * Texts the bot sent anywhere (Web API arguments and response_url bodies) by how Slack reads them:
 * `mrkdwn` objects and the message `text` are interpreted, `plain_text` objects are shown as is.
 */
function textsSent(rig: SlackRig): { mrkdwn: string[]; plain: string[] } {
  const out = { mrkdwn: [] as string[], plain: [] as string[] };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.mrkdwn.push(o.text);
      if (o.type === 'plain_text' && typeof o.text === 'string') out.plain.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  const bodies = [...rig.api.calls.map((c) => c.args), ...rig.api.responses.map((r) => r.body)];
  bodies.forEach(walk);
  bodies.forEach((b) => typeof b.text === 'string' && out.mrkdwn.push(b.text));
  return out;
}

describe('slash command delivery', () => {
  let rig: SlackRig;
  beforeEach(async () => { rig = await slackRig(); });
  afterEach(async () => { await rig.close(); });

  it('a private answer (help) replaces the working note, for the caller only', async () => {
    const sent = await rig.command('U0DAVE', 'help');
    await rig.settle();
    const [answer, ...more] = rig.api.responsesTo(sent.responseId);
    expect(more).toEqual([]);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(asText(answer.blocks)).toContain('promote');
    expect(rig.api.callsOf('chat.postMessage')).toEqual([]);
  });

  it('a public answer (models) is a channel message, and the working note is removed', async () => {
    const sent = await rig.command('U0DAVE', 'models', { channel: 'C0TEAM' });
    await rig.settle();
    const posts = rig.api.callsOf('chat.postMessage');
    expect(posts.map((c) => c.args.channel)).toEqual(['C0TEAM']);
    expect(asText(posts[0].args.blocks)).toContain('taxi-model');
    expect(rig.api.responsesTo(sent.responseId)).toEqual([{ delete_original: true }]);
  });

  it('answers in place through the response_url where the bot is not a member', async () => {
    rig.api.notInChannel.add('C0PRIVATE');
    const sent = await rig.command('U0DAVE', 'models', { channel: 'C0PRIVATE' });
    await rig.settle();
    const [inChannel, remove] = rig.api.responsesTo(sent.responseId);
    expect(inChannel).toMatchObject({ response_type: 'in_channel' });
    expect(asText(inChannel.blocks)).toContain('taxi-model');
    expect(remove).toEqual({ delete_original: true });
  });

  it('a mistake gets a specific ephemeral answer with the remedy, and changes nothing', async () => {
    const sent = await rig.command('U0DAVE', 'promot taxi-model prod');
    await rig.settle();
    const [answer] = rig.api.responsesTo(sent.responseId);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(asText(answer.blocks)).toMatch(/promote/);
    expect(await rig.store.listRequests({})).toEqual([]);
  });

  it('text from Slack reaches Slack again only escaped', async () => {
    await rig.command('U0DAVE', 'model <!channel> <@U0ALICE> <https://evil.example|click>');
    await rig.command('U0DAVE', 'promote taxi-model prod --version 5 --reason "<!here> ship it & go"');
    await rig.settle();
    const { mrkdwn, plain } = textsSent(rig);
    // The reason did reach the cards, as plain text (or escaped where it is mrkdwn) …
    expect([...plain, ...mrkdwn].some((t) => t.includes('<!here> ship it & go') || t.includes('&lt;!here&gt; ship it &amp; go'))).toBe(true);
    // … and no interpreted text carries a live mention, broadcast or link from the user.
    for (const text of mrkdwn) expect(text).not.toMatch(/<!channel>|<!here>|<@U0ALICE>|<https:\/\/evil/);
  });
});

describe('failures after the ack', () => {
  it('an unexpected failure reaches the caller as an error with the correlation id, never a stack', async () => {
    const failing = (core: BotCore): BotCore => ({ ...core, handle: async () => { throw new Error('db exploded at /srv/secret/path'); } });
    const rig = await slackRig({ wrapCore: failing });
    try {
      const sent = await rig.command('U0DAVE', 'models');
      expect(sent.status).toBe(200);
      await rig.settle();
      const [answer] = rig.api.responsesTo(sent.responseId);
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(asText(answer)).toContain('Something went wrong');
      // The id our HTTP server gave the request travelled through Bolt to the error card.
      expect(sent.correlationId).toMatch(/^[a-z0-9]{12}$/);
      expect(asText(answer)).toContain(sent.correlationId);
      expect(asText(answer)).not.toContain('/srv/secret/path');
    } finally {
      await rig.close();
    }
  });
});

describe('the Reject button', () => {
  let rig: SlackRig;
  beforeEach(async () => { rig = await slackRig(); });
  afterEach(async () => { await rig.close(); });

  async function awaiting(): Promise<{ id: string; ts: string }> {
    await rig.command('U0ALICE', 'promote taxi-model prod --version 5');
    await rig.settle();
    return { id: (await rig.store.listRequests({}))[0].id, ts: rig.api.inChannel('C0APPROVE')[0].ts };
  }

  function submission(user: string, view: Record<string, unknown>, reason: string, viewId: string): Record<string, unknown> {
    return {
      type: 'view_submission', team: { id: 'T0TEAM' }, user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' },
      api_app_id: 'A0MLOPS', trigger_id: 'trig-view',
      view: { ...view, id: viewId, state: { values: { reason: { reason: { type: 'plain_text_input', value: reason } } } }, hash: 'h1' },
    };
  }

  it('opens the reason modal with the click trigger_id, then rejects with the reason', async () => {
    const r = await awaiting();
    const click = await rig.click('U0CAROL', 'reject', { requestId: r.id }, { channel: 'C0APPROVE', ts: r.ts });
    expect(click.status).toBe(200);
    await rig.settle();
    const [open] = rig.api.callsOf('views.open');
    const view = open.args.view as Record<string, unknown>;
    expect(open.args.trigger_id).toMatch(/^trigger-/);
    expect(view).toMatchObject({ type: 'modal', callback_id: 'mlops_reject' });
    expect(JSON.parse(view.private_metadata as string)).toEqual({ requestId: r.id, channel: 'C0APPROVE' });
    expect((await rig.store.getRequest(r.id))!.state).toBe('awaiting_approval');

    const empty = await rig.send.interaction(submission('U0CAROL', view, '   ', 'V1'));
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { reason: expect.any(String) } });

    const done = await rig.send.interaction(submission('U0CAROL', view, 'holdout rmse regressed', 'V1'));
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    await rig.settle();
    expect((await rig.store.getRequest(r.id))!.state).toBe('rejected');
    expect(rig.releases.decisions.map((d) => d.decision)).toEqual(['rejected']);
    expect(asText(rig.api.messages.get(`C0APPROVE/${r.ts}`)!.blocks)).toContain('holdout rmse regressed');
  });

  it('a rejection by someone who may not reject is shown to them only', async () => {
    const r = await awaiting();
    await rig.click('U0DAVE', 'reject', { requestId: r.id }, { channel: 'C0APPROVE', ts: r.ts });
    await rig.settle();
    const view = rig.api.callsOf('views.open')[0].args.view as Record<string, unknown>;
    await rig.send.interaction(submission('U0DAVE', view, 'I do not like it', 'V2'));
    await rig.settle();
    expect((await rig.store.getRequest(r.id))!.state).toBe('awaiting_approval');
    const [ephemeral] = rig.api.callsOf('chat.postEphemeral');
    expect(ephemeral.args).toMatchObject({ channel: 'C0APPROVE', user: 'U0DAVE' });
    expect(rig.api.inChannel('C0APPROVE')).toHaveLength(1);
  });

  it('a button with tampered data opens no modal and tells the clicker', async () => {
    const click = await rig.click('U0CAROL', 'reject', { requestId: '../../etc' }, { channel: 'C0APPROVE', ts: '1.2' });
    await rig.settle();
    expect(rig.api.callsOf('views.open')).toEqual([]);
    expect(rig.api.responsesTo(click.responseId)[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });
});
