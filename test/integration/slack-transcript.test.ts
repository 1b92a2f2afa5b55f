/**
 * The whole approval story over Slack, through the real Bolt receiver and the fake Slack Web API:
 * promote → approval card in the approvals channel → refused self-approval (seen by the clicker
 * only) → approval by an approver named by email (resolved with users.info) → the Azure DevOps
 * approval granted once → the same card edited in place → audit lines in the audit channel.
 */
import { PNG } from 'pngjs';
import type { FakeMessage } from '../support/fake-slack-api';
import { slackRig, type SlackRig } from '../support/slack-rig';

interface Button { action_id: string; value?: string; url?: string }
const buttonsOf = (m: FakeMessage): Button[] =>
  (m.blocks as { type: string; elements?: Button[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []).filter((b) => !b.url);
const textOf = (blocks: unknown): string => JSON.stringify(blocks);

let rig: SlackRig;
beforeEach(async () => { rig = await slackRig(); });
afterEach(async () => { await rig.close(); });

it('runs promote → refused self-approval → approval → one ADO decision → card edited in place → audit', async () => {
  // Alice is a prod approver, and the requester: she cannot approve her own request.
  const promote = await rig.command('U0ALICE', 'promote taxi-model prod --version 5 --reason "better rmse"');
  expect(promote.status).toBe(200);
  expect(promote.json()).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
  await rig.settle();

  const [request] = await rig.store.listRequests({});
  expect(request).toMatchObject({ state: 'awaiting_approval', model: 'taxi-model', version: '5', targetEnv: 'prod', requester: { id: 'slack:U0ALICE' } });
  // The requester's status card in the channel where she typed, the approval card in the approvals channel.
  expect(rig.api.inChannel('C0GENERAL')).toHaveLength(1);
  const cards = rig.api.inChannel('C0APPROVE');
  expect(cards).toHaveLength(1);
  const card = cards[0];
  expect(buttonsOf(card).map((b) => [b.action_id, JSON.parse(b.value!)])).toEqual([
    ['approve', { requestId: request.id }],
    ['reject', { requestId: request.id }],
  ]);
  expect(rig.api.responsesTo(promote.responseId)).toEqual([{ delete_original: true }]);
  expect(rig.releases.startCalls).toBe(1);

  // Alice clicks Approve: refused, shown to her only, nothing decided, nothing in the channel.
  const approve = buttonsOf(card).find((b) => b.action_id === 'approve')!;
  const self = await rig.click('U0ALICE', 'approve', JSON.parse(approve.value!), { channel: 'C0APPROVE', ts: card.ts });
  expect(self.status).toBe(200);
  expect(self.text).toBe('');
  await rig.settle();
  const refusal = rig.api.responsesTo(self.responseId);
  expect(refusal).toHaveLength(1);
  expect(refusal[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(textOf(refusal[0].blocks)).toContain(`You requested ${request.id}, so you cannot approve it.`);
  expect(rig.releases.decisions).toEqual([]);
  expect(rig.api.inChannel('C0APPROVE')).toHaveLength(1);
  expect(rig.api.callsOf('chat.postEphemeral')).toEqual([]);

  // Carol is an approver by email: users.info gives it, and her click approves.
  const carol = await rig.click('U0CAROL', 'approve', JSON.parse(approve.value!), { channel: 'C0APPROVE', ts: card.ts });
  expect(carol.status).toBe(200);
  await rig.settle();
  expect(rig.api.callsOf('users.info').map((c) => c.args.user)).toContain('U0CAROL');
  expect(rig.releases.decisions).toEqual([{ approvalId: 'appr-1', decision: 'approved', comment: `Approved via MLOps Bot by carol (request ${request.id})` }]);
  expect(rig.api.responsesTo(carol.responseId)).toEqual([]);

  // The same message was edited for everyone: no new card, the buttons gave way to the outcome line.
  expect(rig.api.inChannel('C0APPROVE')).toHaveLength(1);
  const updates = rig.api.callsOf('chat.update').filter((c) => c.args.channel === 'C0APPROVE');
  expect(updates.length).toBeGreaterThan(0);
  expect(updates.every((c) => c.args.ts === card.ts)).toBe(true);
  const edited = rig.api.messages.get(`C0APPROVE/${card.ts}`)!;
  expect(buttonsOf(edited)).toEqual([]);
  expect(textOf(edited.blocks)).toContain('Approved by carol');

  // The deployment ends in Azure DevOps; the card follows, and the audit channel has the story.
  rig.releases.finish(1, 'succeeded');
  await rig.settle();
  expect((await rig.store.getRequest(request.id))!.state).toBe('succeeded');
  expect(textOf(rig.api.messages.get(`C0APPROVE/${card.ts}`)!.blocks)).toContain('Succeeded');
  const audit = rig.api.inChannel('C0AUDIT').map((m) => m.text);
  expect(audit.some((t) => /approved/i.test(t))).toBe(true);
  expect(audit.some((t) => /succeeded/i.test(t))).toBe(true);
  // Still exactly one Azure DevOps decision, however many effects ran.
  expect(rig.releases.decisions).toHaveLength(1);
});

describe('compare carries its chart', () => {
  type Block = { type: string; slack_file?: { id: string }; alt_text?: string; elements?: { text: string }[] };
  const blocksOf = (m: FakeMessage): Block[] => m.blocks as Block[];
  const fileCalls = (): string[] => rig.api.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'chat.postMessage');

  it('the PNG is uploaded with files.uploadV2 and shown by an image block under the card\'s heading', async () => {
    const res = await rig.command('U0CAROL', 'compare taxi-model');
    expect(res.status).toBe(200);
    await rig.settle();
    const [message] = rig.api.inChannel('C0GENERAL');
    const blocks = blocksOf(message);
    expect(blocks.map((b) => b.type).slice(0, 3)).toEqual(['header', 'context', 'image']);
    const image = blocks[2];
    expect(image).toEqual({ type: 'image', slack_file: { id: expect.stringMatching(/^F0/) }, alt_text: expect.stringContaining('Chart of rmse by version of taxi-model') });
    // getUploadURLExternal (name and length) → the bytes to the upload URL → completeUploadExternal → the card.
    expect(fileCalls()).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal', 'chat.postMessage']);
    const file = rig.api.files.get(image.slack_file!.id)!;
    expect(rig.api.callsOf('files.getUploadURLExternal')[0].args).toMatchObject({ filename: 'taxi-model-rmse.png', length: String(file.bytes!.length) });
    expect(rig.api.callsOf('files.completeUploadExternal')[0].args).toMatchObject({ files: [{ id: file.id, title: 'taxi-model-rmse' }] });
    expect(file).toMatchObject({ completed: true, filename: 'taxi-model-rmse.png' });
    // Shown by the card only, not shared into the channel a second time.
    expect(file.channel).toBeUndefined();
    const png = PNG.sync.read(file.bytes!);
    expect(png.width).toBeGreaterThan(500);
    expect(file.bytes!.length).toBeLessThanOrEqual(200 * 1024);
    // The table is still there, prod's version as the baseline.
    expect(textOf(blocks)).toContain('v4 (prod)');
    expect(image.alt_text).toContain('Serving: preprod v5, prod v4');
  });

  it('where the bot is not a member, the answer through the response_url carries the chart too', async () => {
    rig.api.notInChannel.add('C0PRIVATE');
    const sent = await rig.command('U0CAROL', 'compare taxi-model', { channel: 'C0PRIVATE' });
    await rig.settle();
    const [answer] = rig.api.responsesTo(sent.responseId);
    expect(answer).toMatchObject({ response_type: 'in_channel' });
    const image = (answer.blocks as Block[]).find((b) => b.type === 'image')!;
    expect(image.slack_file).toEqual({ id: expect.stringMatching(/^F0/) });
    expect(rig.api.files.get(image.slack_file!.id)).toMatchObject({ completed: true, filename: 'taxi-model-rmse.png' });
  });

  it('a failed upload still delivers the card, which says the chart is missing', async () => {
    rig.api.failUploads = true;
    await rig.command('U0CAROL', 'compare taxi-model');
    await rig.settle();
    const [message] = rig.api.inChannel('C0GENERAL');
    const blocks = blocksOf(message);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(blocks[2]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: 'Chart missing: the upload to Slack failed; run the command again for the picture.' }] });
    expect(textOf(blocks)).toContain('v4 (prod)');
    expect(rig.api.callsOf('files.completeUploadExternal')).toEqual([]);
  });
});
