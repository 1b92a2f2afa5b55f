/**
 * Socket Mode (SLACK_APP_TOKEN): the surface opens the socket through apps.connections.open on the
 * configured Web API base URL, acknowledges a slash command envelope at once with the working
 * note, and delivers the answer through the response_url. Readiness follows the connection.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { Server as WebSocketServer } from 'ws';
import { createSlackSurface, type SlackSurface } from '../../src/adapters/slack';
import { createBotCore } from '../../src/core/bot-core';
import { openStore } from '../../src/adapters/store';
import { allCommands } from '../../src/core/commands/all';
import { CommandRegistry } from '../../src/core/commands/registry';
import type { Store } from '../../src/core/ports';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { FakeDirectory } from '../fakes/directory';
import { CapturingLogger } from '../fakes/logger';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';
import { FakeSlackApi, slashCommandFields } from '../support/fake-slack-api';
import { taxiRegistry } from '../support/slack-rig';

let api: FakeSlackApi;
let wss: WebSocketServer;
let store: Store;
let surface: SlackSurface;
const acks: Record<string, unknown>[] = [];
let socket: WebSocket | undefined;

beforeAll(async () => {
  api = await new FakeSlackApi().start();
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  api.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0MLOPS' }, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
  });
  const clock = new FakeClock();
  store = await openStore('sqlite::memory:', { clock });
  const log = new CapturingLogger();
  const ports = {
    registry: taxiRegistry(), releases: new FakeReleases(), schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin(),
    directory: new FakeDirectory(), store, chat: new FakeChat(), clock,
  };
  const core = createBotCore({ settings: testSettings(), ports, log, commands: new CommandRegistry(allCommands) });
  surface = createSlackSurface({ core, log, clock, config: { botToken: 'xoxb-socket', appToken: 'xapp-1-socket', mode: 'socket', apiUrl: api.apiUrl, webApiRetries: 0 } });
});

afterAll(async () => {
  await surface.stop();
  // The client's goodbye is a close handshake; wait for the peer to see it before closing the server.
  if (socket && socket.readyState !== WebSocket.CLOSED) await new Promise((resolve) => socket!.once('close', resolve));
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await api.close();
  await store.close();
});

it('connects through the configured API URL and is ready once the socket is up', async () => {
  await surface.start();
  const open = api.callsOf('apps.connections.open');
  expect(open).toHaveLength(1);
  expect(open[0].token).toBe('xapp-1-socket');
  expect(await surface.ready()).toBe(true);
});

it('acknowledges a slash command envelope at once and answers through the response_url', async () => {
  const payload = slashCommandFields({ id: 'U0DAVE', name: 'dave' }, 'help', { channel: 'C0GENERAL', responseUrl: api.responseUrl('s1'), trigger: 't-s1' });
  socket!.send(JSON.stringify({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload }));
  for (let i = 0; i < 100 && api.responsesTo('s1').length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  await surface.idle();
  expect(acks.find((a) => a.envelope_id === 'env-1')).toEqual({ envelope_id: 'env-1', payload: { response_type: 'ephemeral', text: 'Working on it…' } });
  expect(api.responsesTo('s1')[0]).toMatchObject({ response_type: 'ephemeral', replace_original: true });
});
