/**
 * Blue/green traffic from chat on the local emulator, through the real SDK clients: `traffic` shows
 * the split Azure ML has; a change is checked before anyone is asked (a bad one changes nothing and
 * asks nobody), then follows prod's approval policy (card, approver, audit, notifications) and is one
 * update of the endpoint; a mirror change in preprod (no approval there) goes at once; a freeze stops
 * changes; a second click or a bot killed after the update still changes traffic once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import type { LoadedConfig } from '../../src/config';
import type { EndpointsView, RollbackView } from '../../src/core/cards/views';
import type { Outcome } from '../../src/core/commands/types';
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

const ENDPOINT_PUT = /\/workspaces\/mlw-mlopsv2-0001(prod|preprod)\/onlineEndpoints\/taxi-online$/;

let dir: string;
let now: number;
const clock = { now: () => new Date(now) };
let emu: RunningEmulator;
let app: ComposedApp;
let chat: RecordingChat;
let puts: number;
let upstream: number;
let loaded: LoadedConfig;
let azure: AzureEndpoints;
const log = new CapturingLogger();
const conformance = conformanceRecorder();

async function compose(): Promise<ComposedApp> {
  const next = await composeApp({ loaded, log, azure, clock });
  next.chat.register('cli', chat);
  return next;
}

beforeEach(async () => {
  now = Date.parse('2026-12-05T10:00:00Z');
  puts = 0;
  upstream = 0;
  dir = mkdtempSync(join(tmpdir(), 'mlops-traffic-e2e-'));
  emu = await startEmulator({
    dataDir: join(dir, 'emulator'), log, autoTick: false, clock, jobEveryMs: 0,
    onRequest: (r) => { upstream++; if (r.method === 'PUT' && ENDPOINT_PUT.test(r.path)) puts++; },
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

async function shown(env: string): Promise<string[]> {
  const o = await say('carol', `traffic taxi-online ${env}`);
  expect(o.status).toBe('ok');
  return (o.reply.data as EndpointsView).rows.map((r) => `${r.deployment} ${r.model.split(' · ')[0]} ${r.traffic} ${r.mirror}`);
}

async function settle(id: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    await app.runBackgroundOnce();
    const state = (await app.store.getRequest(id))!.state;
    if (['succeeded', 'failed', 'rejected', 'cancelled', 'expired'].includes(state)) return state;
    now += 2000;
    emu.tick();
  }
  return (await app.store.getRequest(id))!.state;
}

const text = (o: Outcome): string => JSON.stringify(o.reply.data);

describe('traffic on the local emulator', () => {
  it('shows deployments, versions, live and mirror traffic and state, read in one round of two calls', async () => {
    await say('carol', 'traffic taxi-online prod');
    // Warm (token and TLS session in hand): the endpoint and its deployments, read together.
    const before = upstream;
    const o = await say('carol', 'traffic taxi-online preprod');
    expect(upstream - before).toBe(2);
    expect(o.reply).toMatchObject({ template: 'endpoints', data: { title: 'Traffic of taxi-online in preprod', subtitle: 'Live: blue 100%; mirror green 10%.' } });
    expect(await shown('preprod')).toEqual(['blue taxi-model v4 100% —', 'green taxi-model v3 0% 10%']);
  });

  it.each([
    ['blue=90 green=20', 'invalid', 'must add up to 100, not 110'],
    ['blue=ninety green=10', 'invalid', 'whole number from 0 to 100'],
    ['blue=50 red=50', 'not_found', 'has no deployment red'],
    ['--mirror blue=10', 'invalid', 'blue takes live traffic'],
    ['--mirror green=60', 'invalid', 'at most 50, not 60'],
    ['blue=100', 'conflict', 'already serves blue 100%'],
  ])('refuses `%s` with a clear reason, asks nobody and changes nothing', async (change, status, words) => {
    const o = await say('carol', `traffic taxi-online prod ${change}`);
    expect(o.status).toBe(status);
    expect(text(o)).toContain(words);
    await app.runBackgroundOnce();
    expect(puts).toBe(0);
    expect(await app.store.listRequests({})).toEqual([]);
    expect(chat.in('cli:approvals')).toEqual([]);
  });

  it('names the endpoints that exist, and the environments', async () => {
    expect(text(await say('carol', 'traffic taxi-onlne prod blue=100'))).toContain('Online endpoints in prod: taxi-online');
    expect(text(await say('carol', 'traffic taxi-online qa'))).toContain('dev, preprod, prod');
    expect(puts).toBe(0);
  });

  it('prod: card → approval by an approver → one update of the endpoint → audit and notifications', async () => {
    const asked = await say('carol', 'traffic taxi-online prod blue=90 green=10 --reason "canary v2"');
    expect(asked.status).toBe('ok');
    expect(asked.reply).toMatchObject({ template: 'rollback', data: { title: 'Traffic on taxi-online in prod: blue 90%, green 10%', stateLabel: 'Awaiting approval (0 of 1)' } });
    expect((asked.reply.data as RollbackView).traffic).toEqual([
      { deployment: 'blue', version: 'taxi-model v3', before: '100%', after: '90%' },
      { deployment: 'green', version: 'taxi-model v2', before: '0%', after: '10%' },
    ]);
    const id = asked.requestId!;
    await app.runBackgroundOnce();
    expect(chat.in('cli:approvals').map((m) => m.template)).toEqual(['rollback']);
    expect(puts).toBe(0);
    expect((await say('carol', `approve ${id}`)).status).toBe('refused');
    expect((await say('carol', 'traffic taxi-online prod blue=80 green=20')).status).toBe('conflict');

    expect((await say('alice', `approve ${id} go`)).status).toBe('ok');
    const again = await app.core.act({ verb: 'approve', data: { requestId: id }, caller: { id: 'cli:alice', platform: 'cli', displayName: 'alice' }, correlationId: 'click-2' });
    expect(again.status).not.toBe('failed');
    expect(await settle(id)).toBe('succeeded');
    expect(puts).toBe(1);
    expect(await shown('prod')).toEqual(['blue taxi-model v3 90% —', 'green taxi-model v2 10% —']);
    const actions = (await app.store.listAudit({ model: 'taxi-online' })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['traffic.requested', 'traffic.approved', 'traffic.succeeded']));
    const alerts = chat.in('cli:alerts').map((m) => m.data as { title: string; text: string });
    expect(alerts).toEqual([{ title: `Traffic change ${id}`, text: expect.stringContaining('taxi-online in prod now serves blue 90%, green 10%'), tone: 'good' }]);
    const last = chat.updates.filter((u) => u.ref.channel === 'cli:approvals').at(-1)!.message;
    expect(last).toMatchObject({ template: 'rollback', data: { stateLabel: 'Succeeded', actions: [], outcome: 'Approved by alice — traffic changed: blue 90%, green 10%' } });
    const listed = await say('carol', 'requests --env prod');
    expect(text(listed)).toContain('traffic of taxi-online');
  });

  it('preprod needs no approval: a mirror change goes at once, and a live change to the mirrored deployment ends its mirror', async () => {
    const mirror = await say('carol', 'traffic taxi-online preprod --mirror green=20');
    expect(mirror.status).toBe('ok');
    expect(await settle(mirror.requestId!)).toBe('succeeded');
    expect(await shown('preprod')).toEqual(['blue taxi-model v4 100% —', 'green taxi-model v3 0% 20%']);
    const live = await say('carol', 'traffic taxi-online preprod blue=50 green=50');
    expect((live.reply.data as RollbackView).facts).toEqual(expect.arrayContaining([{ title: 'Mirror', value: 'the mirror to green ends: it now takes live traffic' }]));
    expect(await settle(live.requestId!)).toBe('succeeded');
    expect(await shown('preprod')).toEqual(['blue taxi-model v4 50% —', 'green taxi-model v3 50% —']);
    expect(puts).toBe(2);
  });

  it('a freeze stops a traffic change, with the reason and the end', async () => {
    expect((await say('admin', 'freeze prod --for 2h --reason "incident review"')).status).toBe('ok');
    const o = await say('carol', 'traffic taxi-online prod blue=90 green=10');
    expect(o.status).toBe('refused');
    expect(text(o)).toContain('Traffic changes to prod are frozen until 2026-12-05 12:00 UTC: incident review');
    expect(await app.store.listRequests({})).toEqual([]);
    expect((await app.store.listAudit({ model: 'taxi-online' })).map((a) => a.action)).toEqual(['traffic.refused']);
  });

  it('refuses to change the traffic of an endpoint a rollout is moving', async () => {
    const back = (await say('carol', 'rollback taxi-model prod')).requestId!;
    await say('alice', `approve ${back}`);
    expect(await settle(back)).toBe('succeeded');
    const started = await say('alice', 'rollout taxi-model prod --every 30s');
    expect(started.status).toBe('ok');
    const o = await say('carol', 'traffic taxi-online prod blue=50 green=50');
    expect(o.status).toBe('conflict');
    expect(text(o)).toMatch(/Rollout RO-\w+ \(taxi-model v3\) is running on taxi-online in prod/);
    expect(await app.store.listRequests({ model: 'taxi-online' })).toEqual([]);
  });

  it('a bot killed after the update and before its record changes traffic once, and finishes after the restart', async () => {
    const id = (await say('carol', 'traffic taxi-online prod blue=90 green=10')).requestId!;
    await say('alice', `approve ${id}`);
    const killed = new Error('kill -9');
    const dying = storeDyingAfterClaim(app.store, 'switch_traffic', killed);
    const service = new PromotionService({ store: dying, registry: app.ports.registry, directory: app.directory, clock, settings: loaded.settings });
    const worker = new OutboxWorker({ store: dying, handlers: rollbackEffectHandlers({ service, serving: app.ports.serving, chat }), clock, log });
    await worker.runOnce().catch((e: Error) => expect(e.message).toBe('kill -9'));
    expect(puts).toBe(1);
    expect((await app.store.getRequest(id))!.state).toBe('approved');
    await app.close();
    now += 5 * 60_000;
    app = await compose();
    expect(await settle(id)).toBe('succeeded');
    expect(puts).toBe(1);
    expect(await shown('prod')).toEqual(['blue taxi-model v3 90% —', 'green taxi-model v2 10% —']);
  });
});

describe('conformance', () => {
  it('every request the traffic changes sent, and every answer, is as the official specs describe (mirrorTraffic included)', () => {
    expect(conformance.covered()).toEqual(expect.arrayContaining(['OnlineEndpoints_Get', 'OnlineEndpoints_CreateOrUpdate', 'OnlineDeployments_List']));
    expect(conformance.violations()).toEqual([]);
  });
});
