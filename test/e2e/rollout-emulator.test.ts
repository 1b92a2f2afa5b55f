/**
 * Progressive rollout as an on-call engineer lives it, on the local emulator through the real SDK
 * clients and the real Azure Monitor adapter: after a rollback left v3 on `blue` at 0%, `rollout
 * taxi-model prod --every 30s` takes it to 100% one checked step at a time; the same version tagged
 * to misbehave (`emulator.errorRate: 0.08`) is rolled back at the first check, with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import type { LoadedConfig } from '../../src/config';
import type { Outcome } from '../../src/core/commands/types';
import type { NoticeView, RolloutView, WhereisView } from '../../src/core/cards/views';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { RecordingChat } from '../support/recording-chat';
import { emulatorAzure, demoCliConfig } from '../support/emulator-azure';

jest.setTimeout(120_000);

class RolloutChat extends RecordingChat {
  /** The rollout card as it reads now in a channel. */
  rolloutCard(channel: string): RolloutView {
    const posted = this.posts.findIndex((p) => p.channel === channel && p.message.template === 'rollout');
    const latest = this.updates.filter((u) => u.ref.channel === channel && u.ref.messageId === `m${posted + 1}`).at(-1);
    return (latest ?? this.posts[posted]).message.data as RolloutView;
  }
}

const ENDPOINT_PUT = /\/workspaces\/mlw-mlopsv2-0001prod\/onlineEndpoints\/taxi-online$/;

let dir: string;
let now: number;
const clock = { now: () => new Date(now) };
let emu: RunningEmulator;
let app: ComposedApp;
let chat: RolloutChat;
let trafficPuts: number;
const log = new CapturingLogger();

beforeEach(async () => {
  now = Date.parse('2026-12-05T10:00:00Z');
  trafficPuts = 0;
  dir = mkdtempSync(join(tmpdir(), 'mlops-rollout-e2e-'));
  emu = await startEmulator({
    dataDir: join(dir, 'emulator'), log, autoTick: false, clock, jobEveryMs: 0,
    onRequest: (r) => { if (r.method === 'PUT' && ENDPOINT_PUT.test(r.path)) trafficPuts++; },
  });
  const azure: AzureEndpoints = emulatorAzure(emu);
  const loaded: LoadedConfig = demoCliConfig(dir, log);
  chat = new RolloutChat();
  app = await composeApp({ loaded, log, azure, clock });
  app.chat.register('cli', chat);
});

afterEach(async () => {
  await app?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const say = (who: string, text: string): Promise<Outcome> =>
  app.core.handle({ text, caller: { id: `cli:${who}`, platform: 'cli', displayName: who }, channel: 'cli:oncall', correlationId: `t-${who}-${text.length}-${now}` });

async function prodServing(): Promise<string[]> {
  const o = await say('carol', 'whereis taxi-model');
  return (o.reply.data as WhereisView).rows.filter((r) => r.env === 'prod' && r.endpoint.includes('online')).map((r) => `${r.deployment} ${r.version} ${r.traffic}`);
}

/** The rollback story first: green v2 takes all the traffic, v3 waits on blue at 0%. */
async function rollBackToV2(): Promise<void> {
  const id = (await say('carol', 'rollback taxi-model prod')).requestId!;
  await say('alice', `approve ${id}`);
  for (let i = 0; i < 20 && (await app.store.getRequest(id))!.state !== 'succeeded'; i++) await app.runBackgroundOnce();
  expect(await prodServing()).toEqual(['green v2 100%', 'blue v3 0%']);
  trafficPuts = 0;
  chat.posts.length = 0;
}

/** Time passes on the bot's and the emulator's clock; the leader's passes run. */
async function wait(ms: number): Promise<void> {
  now += ms;
  emu.tick();
  await app.runBackgroundOnce();
}

const rolloutId = (o: Outcome): string => /RO-[A-Z0-9]{5}/.exec((o.reply.data as NoticeView).title)![0];

describe('progressive rollout on the local emulator', () => {
  it('a good version reaches 100%: 10% at once, 50% and 100% after passing checks, one traffic update each', async () => {
    await rollBackToV2();
    const started = await say('alice', 'rollout taxi-model prod --every 30s');
    expect(started.status).toBe('ok');
    const id = rolloutId(started);
    await app.runBackgroundOnce();
    expect(await prodServing()).toEqual(['green v2 90%', 'blue v3 10%']);
    expect(chat.rolloutCard('cli:oncall')).toMatchObject({ title: 'Rollout taxi-model v3 in prod', stateLabel: expect.stringContaining('Running: 10% of traffic') });

    await wait(15_000);
    expect(trafficPuts).toBe(1);
    await wait(15_000);
    expect((await prodServing()).sort()).toEqual(['blue v3 50%', 'green v2 50%']);
    const first = chat.rolloutCard('cli:oncall');
    expect(first.check.map((c) => `${c.figure}: ${c.verdict}`)).toEqual(['Requests: ', 'Error rate (5xx): ok', 'p95 latency: ok']);
    expect(Number(first.check[0].canary)).toBeGreaterThan(15);

    await wait(30_000);
    expect(await prodServing()).toEqual(['blue v3 100%', 'green v2 0%']);
    await wait(30_000);
    expect(trafficPuts).toBe(3);
    const card = chat.rolloutCard('cli:oncall');
    expect(card).toMatchObject({ stateLabel: 'Done: 100% of traffic', actions: [], steps: [{ state: 'done' }, { state: 'done' }, { state: 'done' }] });
    expect(card.outcome).toContain('taxi-model v3 serves 100% of taxi-online in prod');
    expect(card.series.map((s) => s.percent)).toEqual([10, 50]);
    const actions = (await app.store.listAudit({ requestId: id })).map((a) => a.action).reverse();
    expect(actions).toEqual(['rollout.started', 'rollout.step', 'rollout.step', 'rollout.succeeded']);
    expect(chat.in('cli:alerts').map((m) => (m.data as NoticeView).text)).toEqual([card.outcome]);
    expect(((await say('carol', 'rollouts')).reply.data as { rows: { id: string; status: string }[] }).rows).toEqual([expect.objectContaining({ id, traffic: '100%', status: 'Done: 100% of traffic' })]);
  });

  it('a version tagged to misbehave is rolled back at the first check, and the card says which figure broke which threshold', async () => {
    await rollBackToV2();
    await app.ports.registry.tagVersion('dev', 'taxi-model', '3', { 'emulator.errorRate': '0.08' });
    const id = rolloutId(await say('alice', 'rollout taxi-model prod --every 30s'));
    await app.runBackgroundOnce();
    expect(await prodServing()).toEqual(['green v2 90%', 'blue v3 10%']);

    await wait(30_000);
    expect(await prodServing()).toEqual(['green v2 100%', 'blue v3 0%']);
    expect(trafficPuts).toBe(2);
    const r = (await app.store.getRollout(id))!;
    expect(r).toMatchObject({ status: 'rolled_back', back: { state: 'done' } });
    expect(r.outcome).toMatch(/^Rolled back at 10%: error rate of blue \d+(\.\d+)?% \(\d+ of \d+ requests answered 5xx\) is above the 1% allowed\. blue is set back to 0%, green takes 100%\.$/);
    const card = chat.rolloutCard('cli:oncall');
    expect(card).toMatchObject({ stateLabel: 'Rolled back', outcome: r.outcome, actions: [] });
    expect(card.check[1]).toMatchObject({ figure: 'Error rate (5xx)', limit: '≤ 1%', verdict: 'over' });
    expect(chat.in('cli:alerts').map((m) => (m.data as NoticeView).text)).toEqual([r.outcome]);
    expect((await app.store.listAudit({ requestId: id })).map((a) => a.action)).toContain('rollout.rolled_back');
    await wait(60_000);
    expect(trafficPuts).toBe(2);
  });

  it('refuses what cannot be rolled out, changing nothing', async () => {
    // Seeded prod: blue v3 takes the traffic, green holds the older v2.
    const older = await say('alice', 'rollout taxi-model prod');
    expect(older.status).not.toBe('ok');
    expect((older.reply.data as { message?: string; text?: string }).message ?? '').toContain('No newer version of taxi-model waits at 0%');
    expect((await say('carol', 'rollout taxi-model prod')).status).toBe('refused');
    expect((await say('alice', 'rollout taxi-fare-classifier prod')).status).not.toBe('ok');
    expect(trafficPuts).toBe(0);
    expect((await app.store.listRollouts({})).total).toBe(0);
  });
});
