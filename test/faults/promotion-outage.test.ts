/**
 * Fault suite, items 1 and 7: an Azure DevOps outage never jams a promotion silently, and an
 * approval decision that Azure DevOps applied but answered 500 to is not sent twice.
 */
import { faultRig, waitFor, type FaultRig } from '../support/fault-rig';

jest.setTimeout(60_000);

let rig: FaultRig;
beforeEach(async () => { rig = await faultRig(); });
afterEach(async () => { await rig.close(); });

const RELEASES = /\/_apis\/release\//i;
const text = (m: { text: string; blocks: unknown[] }): string => `${m.text} ${JSON.stringify(m.blocks)}`;
const one = async () => (await rig.requests())[0];

it('an outage shorter than the approval expiry heals by itself: the release starts and the approval goes through', async () => {
  const outage = rig.ado.add({ path: RELEASES, mode: 'fail', status: 503 });
  await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('start_release failing against the outage', () => rig.ado.matching('GET', RELEASES, 'fail').length >= 3);
  // Longer than the outbox's general deadline (1.5 s here): the approval expiry is what bounds this step.
  await new Promise((r) => setTimeout(r, 2000));
  expect(await one()).toMatchObject({ state: 'awaiting_approval' });
  outage();
  await waitFor('the release waiting at its gate', async () => (await one()).release?.approvalId !== undefined);
  expect((await one()).stall).toBeUndefined();
  const [card] = rig.api.inChannel('C0APPROVALS');
  await rig.click('U0BOB', 'approve', (await one()).id, { channel: 'C0APPROVALS', ts: card.ts });
  await waitFor('the release deploying', async () => ['releasing', 'succeeded'].includes((await one()).state));
  expect(rig.ado.matching('POST', /\/releases\?/i).length + rig.ado.matching('POST', /\/releases$/i).length).toBe(1);
});

it('a step given up is shown on the card, to the requester and in the audit channel, and an admin retries it', async () => {
  const outage = rig.ado.add({ path: RELEASES, mode: 'fail', status: 503 });
  await rig.command('U0CAROL', 'promote taxi-model preprod --version 5');
  await waitFor('the request stalled', async () => (await one())?.stall !== undefined);
  const request = await one();
  expect(request).toMatchObject({ state: 'approved', stall: { step: 'start_release' } });

  await waitFor('the card showing it', () => rig.api.inChannel('C0TEAM').some((m) => /Stuck/.test(text(m)) && /"retry"/.test(text(m))));
  const card = rig.api.inChannel('C0TEAM').find((m) => /Stuck/.test(text(m)))!;
  expect(text(card)).toMatch(/the release could not be started: Azure DevOps failed .*HTTP 503.* \(failing for \d+(\.\d)? s\)/);
  await waitFor('the requester told', () => rig.api.inChannel('C0TEAM').some((m) => /is stuck/.test(text(m)) && /retry PR-/.test(text(m))));
  await waitFor('the audit channel told', () => rig.api.inChannel('C0AUDIT').some((m) => /promotion\.stalled/.test(text(m))));
  expect(rig.metrics.render()).toMatch(/mlops_outbox_dead_effects_total\{kind="start_release"\} 1/);

  // Promoting again does not just say "already promoting": it says why and what to do.
  const again = await rig.command('U0CAROL', 'promote taxi-model preprod --version 5');
  await rig.surface.idle();
  expect(JSON.stringify(rig.api.responsesTo(again.responseId))).toMatch(/stuck.*retry PR-/i);

  // A restart keeps it visible; the requester may not retry (approvers and admins may).
  await rig.restart();
  expect(await one()).toMatchObject({ stall: { step: 'start_release' } });
  const refused = await rig.command('U0CAROL', `retry ${request.id}`);
  await rig.surface.idle();
  expect(JSON.stringify(rig.api.responsesTo(refused.responseId))).toMatch(/may not retry/);

  outage();
  await rig.click('U0ADMIN', 'retry', request.id, { channel: 'C0TEAM', ts: card.ts });
  await waitFor('the release deploying after the retry', async () => ['releasing', 'succeeded'].includes((await one()).state), 20_000);
  expect((await one()).stall).toBeUndefined();
  await waitFor('the audit channel told of the retry', () => rig.api.inChannel('C0AUDIT').some((m) => /promotion\.retried/.test(text(m))));
});

it('an approval that Azure DevOps applied but answered 500 to is read again, not sent again (item 7)', async () => {
  await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('the release waiting at its gate', async () => (await one())?.release?.approvalId !== undefined);
  rig.ado.add({ method: 'PATCH', path: /approvals/i, mode: 'apply-then-fail', status: 500, times: 1 });
  const [card] = rig.api.inChannel('C0APPROVALS');
  await rig.click('U0BOB', 'approve', (await one()).id, { channel: 'C0APPROVALS', ts: card.ts });
  await waitFor('the release deploying', async () => ['releasing', 'succeeded'].includes((await one()).state));
  expect(rig.ado.matching('PATCH', /approvals/i)).toHaveLength(1);
  expect(rig.log.text()).not.toMatch(/already been approved/);
});
