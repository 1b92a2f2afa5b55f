/**
 * Rollback as an on-call engineer lives it, on the local emulator through the real SDK clients:
 * `whereis` → `rollback` → approval → one traffic update to the previous deployment → `whereis`
 * shows it. Without a deployment of the version left, the rollback goes through a release. A second
 * click, or a bot killed between the traffic change and its record, changes traffic exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import type { LoadedConfig } from '../../src/config';
import type { Outcome } from '../../src/core/commands/types';
import type { WhereisView } from '../../src/core/cards/views';
import { OutboxWorker } from '../../src/core/outbox/worker';
import { PromotionService } from '../../src/core/promotion/service';
import { rollbackEffectHandlers } from '../../src/core/rollback/effects';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { RecordingChat } from '../support/recording-chat';
import { storeDyingAfterClaim } from '../support/dying-store';
import { conformanceRecorder } from '../support/conformance-recorder';
import { emulatorAzure, demoCliConfig } from '../support/emulator-azure';

jest.setTimeout(120_000);

const ENDPOINT_PUT = /\/workspaces\/mlw-mlopsv2-0001prod\/onlineEndpoints\/taxi-online$/;

// Every request the adapters sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
let dir: string;
let now: number;
const clock = { now: () => new Date(now) };
let emu: RunningEmulator;
let app: ComposedApp;
let chat: RecordingChat;
let trafficPuts: number;
let loaded: LoadedConfig;
let azure: AzureEndpoints;
const log = new CapturingLogger();

async function compose(): Promise<ComposedApp> {
  const next = await composeApp({ loaded, log, azure, clock });
  next.chat.register('cli', chat);
  return next;
}

beforeEach(async () => {
  now = Date.parse('2026-12-05T10:00:00Z');
  trafficPuts = 0;
  dir = mkdtempSync(join(tmpdir(), 'mlops-rollback-e2e-'));
  emu = await startEmulator({
    dataDir: join(dir, 'emulator'), log, autoTick: false, clock, jobEveryMs: 0,
    onRequest: (r) => { if (r.method === 'PUT' && ENDPOINT_PUT.test(r.path)) trafficPuts++; },
    onExchange: conformance.onExchange,
  });
  azure = emulatorAzure(emu);
  loaded = demoCliConfig(dir, log);
  chat = new RecordingChat();
  app = await compose();
});

afterEach(async () => {
  await app?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const say = (who: string, text: string): Promise<Outcome> =>
  app.core.handle({ text, caller: { id: `cli:${who}`, platform: 'cli', displayName: who }, channel: 'cli:oncall', correlationId: `t-${who}-${text.length}` });

/** prod rows of a whereis answer: `deployment version traffic`. */
async function prodServing(): Promise<string[]> {
  const o = await say('carol', 'whereis taxi-model');
  expect(o.status).toBe('ok');
  return (o.reply.data as WhereisView).rows.filter((r) => r.env === 'prod' && r.endpoint.includes('online')).map((r) => `${r.deployment} ${r.version} ${r.traffic}`);
}

const requestId = (o: Outcome): string => o.requestId!;

async function settle(app: ComposedApp, id: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    await app.runBackgroundOnce();
    const state = (await app.store.getRequest(id))!.state;
    if (['succeeded', 'failed', 'rejected', 'cancelled', 'expired'].includes(state)) return state;
    now += 2000;
    emu.tick();
  }
  return (await app.store.getRequest(id))!.state;
}

describe('rollback on the local emulator', () => {
  it('whereis → rollback → approval → traffic 100% to the previous deployment → whereis shows it', async () => {
    expect(await prodServing()).toEqual(['blue v3 100%', 'green v2 0%']);

    const asked = await say('carol', 'rollback taxi-model prod --reason "p95 latency doubled"');
    expect(asked.status).toBe('ok');
    expect(asked.reply).toMatchObject({ template: 'rollback', data: { title: 'Roll back taxi-model in prod: v3 → v2', stateLabel: 'Awaiting approval (0 of 1)' } });
    const id = requestId(asked);
    await app.runBackgroundOnce();
    expect(chat.in('cli:approvals').map((m) => m.template)).toEqual(['rollback']);
    expect(trafficPuts).toBe(0);

    const self = await say('carol', `approve ${id}`);
    expect(self.status).toBe('refused');

    const approved = await say('alice', `approve ${id} go`);
    expect(approved.status).toBe('ok');
    expect(await settle(app, id)).toBe('succeeded');

    expect(trafficPuts).toBe(1);
    expect(await prodServing()).toEqual(['green v2 100%', 'blue v3 0%']);
    const alerts = chat.in('cli:alerts').map((m) => (m.data as { text: string }).text);
    expect(alerts).toEqual([expect.stringContaining('taxi-model v2 serves prod again')]);
    const actions = (await app.store.listAudit({ model: 'taxi-model' })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['rollback.requested', 'rollback.approved', 'rollback.succeeded']));
    const last = chat.updates.filter((u) => u.ref.channel === 'cli:approvals').at(-1)!.message;
    expect(last).toMatchObject({ template: 'rollback', data: { stateLabel: 'Succeeded', actions: [] } });
  });

  it('goes ahead while prod is frozen, and the card says so', async () => {
    expect((await say('admin', 'freeze prod --for 2h --reason "incident review"')).status).toBe('ok');
    expect((await say('carol', 'promote taxi-model prod --version 4')).status).toBe('refused');
    const asked = await say('carol', 'rollback taxi-model prod');
    expect(asked.status).toBe('ok');
    expect(asked.reply.data).toMatchObject({ facts: expect.arrayContaining([{ title: 'Freeze', value: expect.stringContaining('a rollback is allowed') }]) });
    await say('alice', `approve ${requestId(asked)}`);
    expect(await settle(app, requestId(asked))).toBe('succeeded');
    expect(trafficPuts).toBe(1);
    expect(await prodServing()).toEqual(['green v2 100%', 'blue v3 0%']);
  });

  it('a second click and a second approver change traffic once', async () => {
    const id = requestId(await say('carol', 'rollback taxi-model prod'));
    await say('alice', `approve ${id}`);
    const again = await app.core.act({ verb: 'approve', data: { requestId: id }, caller: { id: 'cli:alice', platform: 'cli', displayName: 'alice' }, correlationId: 'click-2' });
    expect(again.status).not.toBe('failed');
    await say('bob', `approve ${id}`);
    expect(await settle(app, id)).toBe('succeeded');
    await app.runBackgroundOnce();
    expect(trafficPuts).toBe(1);
  });

  it('a bot killed after the traffic PUT and before its record changes traffic once, and finishes after the restart', async () => {
    const id = requestId(await say('carol', 'rollback taxi-model prod'));
    await say('alice', `approve ${id}`);
    // The process that dies: it claims the switch, Azure takes the PUT, nothing after that is recorded.
    const killed = new Error('kill -9');
    const dying = storeDyingAfterClaim(app.store, 'switch_traffic', killed);
    const service = new PromotionService({ store: dying, registry: app.ports.registry, directory: app.directory, clock, settings: loaded.settings });
    const worker = new OutboxWorker({ store: dying, handlers: rollbackEffectHandlers({ service, serving: app.ports.serving, chat }), clock, log });
    // The worker may notice its store is gone or not; either way nothing after the PUT is recorded.
    await worker.runOnce().catch((e: Error) => expect(e.message).toBe('kill -9'));
    expect(trafficPuts).toBe(1);
    expect((await app.store.getRequest(id))!.state).toBe('approved');

    // Restart: a new bot on the same database once the dead one's lease has run out.
    await app.close();
    now += 5 * 60_000;
    app = await compose();
    expect(await settle(app, id)).toBe('succeeded');
    expect(trafficPuts).toBe(1);
    expect(await prodServing()).toEqual(['green v2 100%', 'blue v3 0%']);
  });

  it('without a deployment of the version left, goes through a release and whereis shows what it deployed', async () => {
    const asked = await say('carol', 'rollback taxi-model prod --to 1');
    expect(asked.status).toBe('ok');
    const id = requestId(asked);
    expect(asked.reply.data).toMatchObject({ title: 'Roll back taxi-model in prod: v3 → v1', traffic: [] });
    expect((await app.store.getRequest(id))!.rollback).toMatchObject({ mode: 'release', fromVersion: '3' });
    await app.runBackgroundOnce();
    await say('alice', `approve ${id}`);
    expect(await settle(app, id)).toBe('succeeded');
    expect(trafficPuts).toBe(0);
    const request = (await app.store.getRequest(id))!;
    expect(request.release?.kind).toBe('classic');
    expect(await prodServing()).toEqual(['green v1 100%', 'blue v3 0%']);
    // The release deployed preprod too: its mirrored deployment took the live traffic, so the mirror went.
    const rows = ((await say('carol', 'whereis taxi-model')).reply.data as WhereisView).rows;
    expect(rows.filter((r) => r.env === 'preprod' && r.endpoint.includes('online')).map((r) => `${r.deployment} ${r.traffic} ${r.mirror}`)).toEqual(['green 100% —', 'blue 0% —']);
  });
});
