/**
 * Fault suite, items 5 and 6: what the requester is told when Slack is busy, and commands that
 * survive a process killed right after "Working on it…".
 */
import type { BotCore } from '../../src/core/surface';
import { faultRig, waitFor, type FaultRig } from '../support/fault-rig';

jest.setTimeout(60_000);

let rig: FaultRig | undefined;
afterEach(async () => { await rig?.close(); rig = undefined; });

const text = (m: { text: string; blocks: unknown[] }): string => `${m.text} ${JSON.stringify(m.blocks)}`;

it('a rate-limited reply does not say "try again" for a request that exists; the status card comes later (item 5)', async () => {
  rig = await faultRig();
  rig.slack.add({ method: 'POST', path: /chat\.postMessage/, bodyMatch: /C0TEAM/, mode: 'fail', status: 429, headers: { 'retry-after': '1' }, body: '{"ok":false,"error":"ratelimited"}', times: 1 });
  const { responseId } = await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await rig.surface.idle();
  const told = JSON.stringify(rig.api.responsesTo(responseId));
  expect(told).not.toMatch(/try again/i);
  const [request] = await rig.requests();
  expect(told).toContain(`${request.id} is on its way`);
  await waitFor('the status card in the channel', () => rig!.api.inChannel('C0TEAM').some((m) => text(m).includes(`Request ${request.id}`)));
  expect(rig.api.inChannel('C0TEAM').filter((m) => text(m).includes(`Request ${request.id}`) && /Promote taxi-model/.test(m.text))).toHaveLength(1);
  expect(await rig.requests()).toHaveLength(1);
});

it('commands acknowledged by a process killed at once are carried out after the restart, once (item 6)', async () => {
  // The first process acknowledges, then never gets further: it dies.
  const dying = (core: BotCore): BotCore => ({ ...core, handle: () => new Promise(() => undefined) });
  rig = await faultRig({ wrapCore: dying, slack: { commandReplayAfterMs: 1500 } });
  const sent = [
    await rig.command('U0CAROL', 'promote taxi-model prod --version 5'),
    await rig.command('U0ALICE', 'promote taxi-model preprod --version 5'),
  ];
  expect(sent.map((s) => s.status)).toEqual([200, 200]);
  await rig.restart({ slack: { commandReplayAfterMs: 1500 } });
  await waitFor('both requests created', async () => (await rig!.requests()).length === 2);
  await waitFor('both requesters answered', () => sent.every((s) => rig!.api.responsesTo(s.responseId).length > 0));
  await waitFor('both status cards posted', () => rig!.api.inChannel('C0TEAM').filter((m) => /Promote taxi-model/.test(m.text)).length === 2);
  // Each recorded command ran once, by the replay.
  const done = () => rig!.app.store.listEffects({ status: 'done', keyPrefix: 'slack:command:' });
  await waitFor('both recorded commands done', async () => (await done()).length === 2);
  expect((await done()).map((e) => e.result)).toEqual([{ replayed: true, status: 'ok' }, { replayed: true, status: 'ok' }]);
  expect(await rig.requests()).toHaveLength(2);
});

it('a command whose request was created just before the crash is answered after the restart without a second request', async () => {
  const diesAfterWork = (core: BotCore): BotCore => ({ ...core, handle: (inv) => core.handle(inv).then(() => new Promise(() => undefined)) });
  rig = await faultRig({ wrapCore: diesAfterWork, slack: { commandReplayAfterMs: 1500 } });
  const sent = await rig.command('U0CAROL', 'promote taxi-model prod --version 5');
  await waitFor('the request created', async () => (await rig!.requests()).length === 1);
  await rig.restart({ slack: { commandReplayAfterMs: 1500 } });
  await waitFor('the requester answered', () => rig!.api.responsesTo(sent.responseId).length > 0);
  expect(JSON.stringify(rig.api.responsesTo(sent.responseId))).not.toMatch(/already promoting/);
  await waitFor('the status card posted', () => rig!.api.inChannel('C0TEAM').some((m) => /Promote taxi-model/.test(m.text)));
  expect(await rig.requests()).toHaveLength(1);
});
