/**
 * Fault suite, item 2: one slow upstream never stalls the rest of the background work. A Slack
 * post that hangs holds only its channel; an Azure DevOps call that hangs holds only its request.
 */
import { faultRig, waitFor, type FaultRig } from '../support/fault-rig';

jest.setTimeout(60_000);

let rig: FaultRig | undefined;
afterEach(async () => { await rig?.close(); rig = undefined; });

const one = async (r: FaultRig) => (await r.requests())[0];
const text = (m: { text: string; blocks: unknown[] }): string => `${m.text} ${JSON.stringify(m.blocks)}`;

it('a Slack post that hangs in the audit channel does not hold the Azure DevOps decision of an approval', async () => {
  // Slack's own call bound is long here: what keeps the rest moving must be the worker, not the timeout.
  rig = await faultRig({ slack: { timeoutMs: 60_000 } });
  rig.slack.add({ method: 'POST', path: /chat\.postMessage/, bodyMatch: /C0AUDIT/, mode: 'hold' });
  await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('an audit post hanging', () => rig!.slack.holding > 0);
  await waitFor('the release waiting at its gate', async () => (await one(rig!)).release?.approvalId !== undefined);
  const [card] = rig.api.inChannel('C0APPROVALS');
  await rig.click('U0BOB', 'approve', (await one(rig)).id, { channel: 'C0APPROVALS', ts: card.ts });
  await waitFor('the approval granted in Azure DevOps', () => rig!.ado.matching('PATCH', /approvals/i).length === 1);
  await waitFor('the card edited', () => /Approved by bob/.test(text(rig!.api.messages.get(`C0APPROVALS/${card.ts}`)!)));
  expect(rig.slack.holding).toBeGreaterThan(0);
});

it('an Azure DevOps call that hangs does not hold the approval card nor the audit post of another request', async () => {
  rig = await faultRig({ devopsTimeoutMs: 60_000 });
  rig.ado.add({ method: 'GET', path: /\/_apis\/release\/releases/i, mode: 'hold' });
  await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('start_release hanging', () => rig!.ado.holding > 0);
  await waitFor('the approval card posted', () => rig!.api.inChannel('C0APPROVALS').length === 1);
  await waitFor('the audit post', () => rig!.api.inChannel('C0AUDIT').some((m) => /promotion\.requested/.test(text(m))));
  expect(rig.ado.holding).toBeGreaterThan(0);
});
