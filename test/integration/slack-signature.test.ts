/**
 * Inbound trust: the real Bolt receiver on our HTTP server checks Slack's signature (HMAC of
 * `v0:<timestamp>:<raw body>`, 5-minute window). Anything else gets 401 and has no effect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORM, sign } from '../support/fake-slack-api';
import { SIGNING_SECRET, slackRig, type SlackRig } from '../support/slack-rig';

const fixture = (name: string): Record<string, string> => JSON.parse(readFileSync(join(__dirname, '../fixtures/slack', name), 'utf8')) as Record<string, string>;

let rig: SlackRig;
beforeEach(async () => { rig = await slackRig(); });
afterEach(async () => { await rig.close(); });

function commandBody(text: string, trigger: string): string {
  return new URLSearchParams({ ...fixture('slash-command.json'), text, trigger_id: trigger, response_url: rig.api.responseUrl(trigger) }).toString();
}

/** Nothing reached the core: no seen key, no Web API call besides start-up, no response_url use. */
async function expectNoEffect(trigger: string): Promise<void> {
  await rig.settle();
  expect(await rig.store.markSeen(`slack:command:${trigger}`, new Date())).toBe(true);
  expect(rig.api.calls.map((c) => c.method)).toEqual(['auth.test']);
  expect(rig.api.responses).toEqual([]);
}

describe('Slack request signatures', () => {
  it('accepts a correctly signed slash command and acknowledges it at once', async () => {
    const res = await rig.send.send(commandBody('help', 'trig-ok'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    await rig.settle();
    expect(rig.api.responsesTo('trig-ok')).toHaveLength(1);
  });

  it('refuses a bad signature with 401 and no effect', async () => {
    const res = await rig.send.send(commandBody('help', 'trig-bad'), { signature: sign('another-secret', Math.floor(Date.now() / 1000), 'x') });
    expect(res.status).toBe(401);
    await expectNoEffect('trig-bad');
  });

  it('refuses a body changed after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = sign(SIGNING_SECRET, ts, commandBody('help', 'trig-tampered'));
    const res = await rig.send.send(commandBody('promote taxi-model prod', 'trig-tampered'), { timestamp: ts, signature });
    expect(res.status).toBe(401);
    await expectNoEffect('trig-tampered');
  });

  it('refuses a correctly signed request older than 5 minutes (replay)', async () => {
    const res = await rig.send.send(commandBody('help', 'trig-stale'), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await expectNoEffect('trig-stale');
  });

  it('still accepts a request signed 4 minutes ago (inside the window)', async () => {
    const res = await rig.send.send(commandBody('help', 'trig-4min'), { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 });
    expect(res.status).toBe(200);
  });

  it.each([['signature'], ['timestamp']] as const)('refuses a request without the %s header', async (missing) => {
    const res = await rig.send.send(commandBody('help', `trig-no-${missing}`), { omitHeaders: [missing] });
    expect(res.status).toBe(401);
    await expectNoEffect(`trig-no-${missing}`);
  });

  it('refuses an unsigned request with 401 even when the body looks right', async () => {
    const res = await fetch(`${rig.server.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: commandBody('help', 'trig-unsigned') });
    expect(res.status).toBe(401);
    await expectNoEffect('trig-unsigned');
  });

  it('parses forms only when content-type is exactly application/x-www-form-urlencoded (Bolt)', async () => {
    const res = await rig.send.send(commandBody('help', 'trig-charset'), { contentType: `${FORM}; charset=utf-8` });
    expect(res.status).toBe(400);
    await expectNoEffect('trig-charset');
  });

  it('answers url_verification with the challenge, and only when signed', async () => {
    const ok = await rig.send.event({ type: 'url_verification', token: 'x', challenge: 'c-123' });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ challenge: 'c-123' });
    const bad = await rig.send.event({ type: 'url_verification', token: 'x', challenge: 'c-123' }, { signature: 'v0=00' });
    expect(bad.status).toBe(401);
  });

  it('serves only POST /slack/events', async () => {
    const res = await fetch(`${rig.server.url}/slack/events`);
    expect(res.status).toBe(405);
  });
});
