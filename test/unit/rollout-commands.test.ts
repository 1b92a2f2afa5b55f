/**
 * The rollout commands through the real dispatcher and card buttons: `rollout`, `rollout
 * pause|resume|abort`, `rollouts` (paged), over the rollout rig (real store and outbox, fake live
 * metrics). Bad input is a clear answer that changes nothing.
 */
import { createBotCore } from '../../src/core/bot-core';
import type { NoticeView, RolloutsView } from '../../src/core/cards/views';
import { allCommands } from '../../src/core/commands/all';
import { CommandRegistry } from '../../src/core/commands/registry';
import type { Outcome } from '../../src/core/commands/types';
import type { BotCore } from '../../src/core/surface';
import { FakeDirectory } from '../fakes/directory';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { rolloutRig, rolloutSettings, type RolloutRig } from './rollout-support';

let rig: RolloutRig;
let core: BotCore;
beforeEach(async () => {
  rig = await rolloutRig();
  const settings = rolloutSettings();
  core = createBotCore({
    settings, log: rig.log, commands: new CommandRegistry(allCommands),
    ports: {
      store: rig.store, clock: rig.clock, chat: rig.chat, serving: rig.serving, liveMetrics: rig.metrics, directory: new FakeDirectory(),
      registry: new FakeRegistry(), releases: new FakeReleases(), schedules: {} as never, identityAdmin: {} as never,
    },
  });
});
afterEach(async () => { await rig.store.close(); });

const say = (id: string, text: string): Promise<Outcome> =>
  core.handle({ text, caller: { id, platform: 'slack', displayName: id.slice(8) }, channel: 'slack:C0OPS', correlationId: `c-${text}` });
const text = (o: Outcome): string => (o.reply.data as NoticeView).text ?? (o.reply.data as { message: string }).message;

it('starts a rollout, answers with its id and what happens next, and the card buttons steer it', async () => {
  const o = await say('slack:U0ALICE', 'rollout taxi-model prod --every 45s');
  expect(o.status).toBe('ok');
  const id = /RO-[A-Z0-9]{5}/.exec((o.reply.data as NoticeView).title)![0];
  expect(text(o)).toBe(`${id}: green (v5) takes 10% of taxi-online in prod now, then 50%, 100% after a check every 45 s; it rolls back by itself on a breach. Its card follows it in this channel; stop it with: rollout abort ${id}`);
  const paused = await core.act({ verb: 'rollout-pause', data: { rolloutId: id }, caller: { id: 'slack:U0CAROL', platform: 'slack', displayName: 'Carol' }, correlationId: 'b1' });
  expect(paused.status).toBe('ok');
  expect((await rig.store.getRollout(id))!.status).toBe('paused');
  const resumed = await core.act({ verb: 'rollout-resume', data: { rolloutId: id }, caller: { id: 'slack:U0CAROL', platform: 'slack', displayName: 'Carol' }, correlationId: 'b2' });
  expect(resumed.status).toBe('refused');
  expect((await say('slack:U0ALICE', `rollout resume ${id.toLowerCase()}`)).status).toBe('ok');
  expect((await say('slack:U0ALICE', `rollout abort ${id}`)).status).toBe('ok');
  expect((await say('slack:U0ALICE', `rollout abort ${id}`)).reply.data).toMatchObject({ text: 'Already aborted: nothing changed.' });
});

it('refuses bad input with a clear answer and stores nothing', async () => {
  expect(await say('slack:U0ALICE', 'rollout taxi-model')).toMatchObject({ status: 'invalid' });
  const qa = await say('slack:U0ALICE', 'rollout taxi-model qa');
  expect(qa.status).toBe('invalid');
  expect(qa.reply.data).toMatchObject({ message: 'There is no environment "qa".', remedy: 'Environments: dev, preprod, prod.' });
  expect(text(await say('slack:U0ALICE', 'rollout taxi-model prod --steps 10,200'))).toContain('--steps 10,200 is not a list of rising percentages ending at 100.');
  expect(await say('slack:U0ALICE', 'rollout pause RO-NOPE1')).toMatchObject({ status: 'not_found' });
  expect((await rig.store.listRollouts({})).total).toBe(0);
});

it('rollouts lists newest first with the total, pages with a More button, and filters', async () => {
  for (let i = 0; i < 23; i++) {
    const { rollout } = await rig.service.start({ caller: { id: 'slack:U0ALICE', platform: 'slack', displayName: 'Alice' }, model: 'taxi-model', env: 'prod' });
    await rig.service.control('abort', rollout.id, { id: 'slack:U0ALICE', platform: 'slack', displayName: 'Alice' });
    rig.clock.advance(1000);
  }
  const first = (await say('slack:U0CAROL', 'rollouts')).reply.data as RolloutsView;
  expect(first.subtitle).toBe('23 rollouts; page 1 of 2 (1–20); `rollouts --page 2` for more');
  expect(first.rows).toHaveLength(20);
  expect(first.rows[0]).toMatchObject({ model: 'taxi-model v5', where: 'taxi-online (prod)', traffic: '0%', status: 'Aborted' });
  expect(first.actions).toEqual([{ verb: 'more', title: 'More', data: { command: 'rollouts --page 2' } }]);
  const more = await core.act({ verb: 'more', data: { command: 'rollouts --page 2' }, caller: { id: 'slack:U0CAROL', platform: 'slack', displayName: 'Carol' }, correlationId: 'm' });
  expect((more.reply.data as RolloutsView).rows).toHaveLength(3);
  expect(((await say('slack:U0CAROL', 'rollouts --active')).reply.data as RolloutsView).subtitle).toBe('No active rollouts.');
  expect(((await say('slack:U0CAROL', 'rollouts --env preprod')).reply.data as RolloutsView).subtitle).toBe('No rollouts in preprod.');
  expect(await say('slack:U0CAROL', 'rollouts --page 3')).toMatchObject({ status: 'invalid' });
});
