/**
 * The same transcript against the real composition (composeApp: the Azure ML and Azure DevOps
 * adapters over the SDKs, talking to the local Azure emulator), with Slack as the only chat:
 * promote → approval card → refused self-approval → approval by another approver → the emulator's
 * Azure DevOps approval granted once → card edited in place → audit lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackSurface, type SlackSurface } from '../../src/adapters/slack';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import { keepDeliverableChannels } from '../../src/app/demo';
import { loadConfig, parseRuntimeEnv } from '../../src/config';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { startHttpServer, type HttpServer } from '../../src/http';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';
import { buttonClickPayload, FakeSlackApi, slashCommandFields, SlackSender } from '../support/fake-slack-api';
import { emulatorAzure } from '../support/emulator-azure';

const SECRET = 'compose-signing-secret';
jest.setTimeout(60_000);

let dir: string;
let emu: RunningEmulator;
let app: ComposedApp;
let api: FakeSlackApi;
let server: HttpServer;
let surface: SlackSurface;
let send: SlackSender;
/** The emulator's logical time: releases move on when it advances. */
let emulatorNow = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-slack-compose-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: join(dir, 'emulator'), log, onExchange: conformance.onExchange, autoTick: false, jobEveryMs: 0, clock: { now: () => new Date(emulatorNow) } });
  const azure: AzureEndpoints = emulatorAzure(emu);
  const loaded = await loadConfig(parseRuntimeEnv({ DATABASE_URL: 'sqlite::memory:' }), async () => '');
  // Slack is the only chat here (as `npm start` does for the platforms set up), and the demo's
  // promotion order would first need v5 deployed to preprod: any order is allowed without one.
  loaded.settings = { ...keepDeliverableChannels(loaded.settings, ['slack'], log), promotionOrder: [] };
  app = await composeApp({ loaded, log, azure });
  api = await new FakeSlackApi().start();
  server = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  surface = createSlackSurface({ core: app.core, log, config: { botToken: 'xoxb-compose', signingSecret: SECRET, mode: 'http', apiUrl: api.apiUrl, webApiRetries: 0 } });
  app.chat.register('slack', surface.chat);
  app.directory.register('slack', surface.directory);
  surface.mount(server);
  await surface.start();
  send = new SlackSender(`${server.url}/slack/events`, SECRET);
});

// Every request the adapters sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
afterAll(async () => {
  await surface?.stop();
  await server?.close();
  await api?.close();
  await app?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Work after acks, then background passes (effects, release polling) with emulator steps between,
 * until `until` holds (or, without it, until a pass runs nothing).
 */
async function settle(until?: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await surface.idle();
    const ran = await app.runBackgroundOnce();
    if (until ? await until() : ran === 0) return;
    emulatorNow += 60_000;
    emu.tick();
  }
  if (until) throw new Error(`the emulator did not get there in 30 passes: ${JSON.stringify(await app.store.listRequests({}))}`);
}

it('runs the Slack transcript against the emulator', async () => {
  const decide = jest.spyOn(app.ports.releases, 'decide');
  const alice = { id: 'U0ALICE', name: 'alice' };
  const bob = { id: 'U0BOB', name: 'bob' };

  const promote = await send.command(slashCommandFields(alice, 'promote taxi-model prod --version 5 --reason "best rmse"', { channel: 'C0TEAM', responseUrl: api.responseUrl('p1'), trigger: 't-p1' }));
  expect(promote.status).toBe(200);
  await surface.idle();
  expect(api.responsesTo('p1')).toEqual([{ delete_original: true }]);
  const requestOf = async () => (await app.store.listRequests({}))[0];
  await settle(async () => (await requestOf())?.release?.approvalId !== undefined);
  const request = await requestOf();
  expect(request).toMatchObject({ state: 'awaiting_approval', model: 'taxi-model', version: '5', targetEnv: 'prod' });
  const [card, ...extra] = api.inChannel('C0APPROVALS');
  expect(extra).toEqual([]);
  const value = JSON.stringify({ requestId: request.id });

  const click = (user: typeof alice, id: string) =>
    send.interaction(buttonClickPayload(user, { actionId: 'approve', value, actionTs: `17000002${id}.0` }, { channel: 'C0APPROVALS', ts: card.ts, responseUrl: api.responseUrl(id), trigger: `t-${id}` }));

  expect((await click(alice, 'a1')).status).toBe(200);
  await settle();
  expect(api.responsesTo('a1')[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(JSON.stringify(api.responsesTo('a1')[0].blocks)).toContain('cannot approve it');
  expect(decide).not.toHaveBeenCalled();

  expect((await click(bob, 'b1')).status).toBe(200);
  await settle(async () => decide.mock.calls.length > 0 && (await requestOf()).state !== 'approved');
  expect(decide.mock.calls.map((c) => [c[0], c[3], c[4]])).toEqual([['prod', 'approved', `Approved via MLOps Bot by bob (request ${request.id})`]]);
  const status = await app.ports.releases.status('prod', request.release!);
  expect(status.state).not.toBe('awaiting_approval');

  expect(api.inChannel('C0APPROVALS')).toHaveLength(1);
  const edited = api.messages.get(`C0APPROVALS/${card.ts}`)!;
  expect(edited.edits).toBeGreaterThan(0);
  expect(JSON.stringify(edited.blocks)).toContain('Approved by bob');
  expect(api.inChannel('C0AUDIT').some((m) => /approved/i.test(m.text))).toBe(true);
  expect(decide).toHaveBeenCalledTimes(1);
});
