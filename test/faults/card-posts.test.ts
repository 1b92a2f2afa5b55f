/**
 * Fault suite, item 4: Slack posts the approval card but answers 500. The retry finds the card it
 * already posted (by the key it carries) instead of posting a second one, and that one card follows
 * the request to the end.
 */
import { faultRig, waitFor, type FaultRig } from '../support/fault-rig';

jest.setTimeout(60_000);

let rig: FaultRig;
beforeEach(async () => { rig = await faultRig(); });
afterEach(async () => { await rig.close(); });

const one = async () => (await rig.requests())[0];
const text = (m: { text: string; blocks: unknown[] }): string => `${m.text} ${JSON.stringify(m.blocks)}`;

it('one approval card when Slack posted it but answered 500, and that card is the one edited', async () => {
  rig.slack.add({ method: 'POST', path: /chat\.postMessage/, bodyMatch: /C0APPROVALS/, mode: 'apply-then-fail', status: 500, times: 1 });
  await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('the release waiting at its gate', async () => (await one())?.release?.approvalId !== undefined);
  await waitFor('the card effect done', async () => (await rig.app.store.getEffect(`${(await one()).id}:post_approval_card:slack:C0APPROVALS`))?.status === 'done');
  expect(rig.slack.matching('POST', /chat\.postMessage/, 'apply-then-fail')).toHaveLength(1);
  const cards = rig.api.inChannel('C0APPROVALS');
  expect(cards).toHaveLength(1);
  await rig.click('U0BOB', 'approve', (await one()).id, { channel: 'C0APPROVALS', ts: cards[0].ts });
  await waitFor('the one card edited to the outcome', () => /Approved by bob/.test(text(rig.api.messages.get(`C0APPROVALS/${cards[0].ts}`)!)));
  expect(rig.api.inChannel('C0APPROVALS')).toHaveLength(1);
  expect(JSON.stringify(rig.api.messages.get(`C0APPROVALS/${cards[0].ts}`)!.blocks)).not.toContain('"action_id":"approve"');
});
