/**
 * A running Slack surface for integration tests: the real Bolt receiver mounted on the bot's HTTP
 * server (port 0), a BotCore from createBotCore over the fakes + a real SQLite store, the real
 * outbox worker with the promotion effect handlers, and the fake Slack Web API. `settle()` waits for
 * the work after acks and runs background effects until nothing moves, so tests read like the chat.
 */
import { VegaChartRenderer } from '../../src/adapters/charts';
import { openStore } from '../../src/adapters/store';
import { createSlackSurface, type SlackSurface, type SlackSurfaceConfig } from '../../src/adapters/slack';
import { createBotCore } from '../../src/core/bot-core';
import { ChatRouter } from '../../src/app/chat-router';
import { DirectoryRouter } from '../../src/app/directory';
import type { BotCore } from '../../src/core/surface';
import { allCommands } from '../../src/core/commands/all';
import { CommandRegistry } from '../../src/core/commands/registry';
import { OutboxWorker, type EffectHandler } from '../../src/core/outbox/worker';
import { pollReleases, promotionEffectHandlers } from '../../src/core/promotion/effects';
import { PromotionService } from '../../src/core/promotion/service';
import type { Directory, Store } from '../../src/core/ports';
import { startHttpServer, type HttpServer } from '../../src/http';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';
import { buttonClickPayload, FakeSlackApi, slashCommandFields, SlackSender, type Delivery, type SendOptions } from './fake-slack-api';

export const SIGNING_SECRET = 'test-signing-secret-8f1c2a';
export const BOT_TOKEN = 'xoxb-test-0000-token';

export interface SlackRig {
  api: FakeSlackApi;
  send: SlackSender;
  server: HttpServer;
  surface: SlackSurface;
  core: BotCore;
  store: Store;
  releases: FakeReleases;
  registry: FakeRegistry;
  log: CapturingLogger;
  clock: FakeClock;
  /** Waits for work after acks, runs due effects and follows releases until nothing moves. */
  settle(): Promise<void>;
  command(user: string, text: string, opts?: SendOptions & { channel?: string; trigger?: string }): Promise<Delivery & { responseId: string }>;
  click(user: string, verb: string, data: Record<string, unknown>, on: { channel: string; ts: string }, opts?: SendOptions & { actionTs?: string }): Promise<Delivery & { responseId: string }>;
  close(): Promise<void>;
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}${++counter}`;

/** taxi-model v4 runs in prod; v5 (better rmse) has reached preprod and is the candidate. */
export function taxiRegistry(): FakeRegistry {
  return new FakeRegistry()
    .addVersion('dev', { name: 'taxi-model', version: '4', tags: { 'mlops-env-preprod': '2026-10-01T00:00:00.000Z', 'mlops-env-prod': '2026-10-10T00:00:00.000Z' } }, { rmse: 0.5, r2: 0.82 })
    .addVersion('dev', { name: 'taxi-model', version: '5', tags: { 'mlops-env-preprod': '2026-10-30T00:00:00.000Z' } }, { rmse: 0.49, r2: 0.83 });
}

export interface RigOptions {
  config?: Partial<SlackSurfaceConfig>;
  groups?: Pick<Directory, 'isMemberOf'>;
  /** Lets a test put something between the surface and the core (a failing or slow core). */
  wrapCore?: (core: BotCore) => BotCore;
  /** Skip start(): the surface stays uninitialised. */
  noStart?: boolean;
}

export async function slackRig(opts: RigOptions = {}): Promise<SlackRig> {
  const api = await new FakeSlackApi().start();
  api.users.set('U0ALICE', { name: 'alice' });
  api.users.set('U0CAROL', { name: 'carol', email: 'Carol@Contoso.com' });
  api.users.set('U0DAVE', { name: 'dave', email: 'dave@contoso.com' });
  const clock = new FakeClock();
  const log = new CapturingLogger();
  const settings = testSettings();
  const store = await openStore('sqlite::memory:', { clock });
  const registry = taxiRegistry();
  const releases = new FakeReleases();
  // As in the composition root: the core talks to routers, the surface registers behind them.
  const chat = new ChatRouter();
  const directory = new DirectoryRouter();
  // The real chart renderer: it starts its worker only when a card has a chart (compare, model).
  const charts = new VegaChartRenderer();
  const ports = { registry, releases, schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin(), directory, store, chat, clock, charts };
  const core = createBotCore({ settings, ports, log, commands: new CommandRegistry(allCommands) });
  const service = new PromotionService({ store, registry, directory, clock, settings, log });
  const handlers = promotionEffectHandlers({ service, store, chat, releases, registry }) as Record<string, EffectHandler>;
  const worker = new OutboxWorker({ store, handlers, clock, log });

  const server = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  const surface = createSlackSurface({
    core: opts.wrapCore ? opts.wrapCore(core) : core, log, clock, directory: opts.groups,
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, mode: 'http', apiUrl: api.apiUrl, webApiRetries: 0, ...opts.config },
  });
  chat.register('slack', surface.chat);
  directory.register('slack', surface.directory);
  surface.mount(server);
  if (!opts.noStart) await surface.start();
  const nameOf = (user: string): string => api.users.get(user)?.name ?? user.toLowerCase();
  const send = new SlackSender(`${server.url}/slack/events`, SIGNING_SECRET);

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await surface.idle();
      let ran = 0;
      for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) ran += n;
      const polled = await pollReleases({ service, store, releases, log });
      if (ran === 0 && polled.changed === 0) return;
    }
  };

  return {
    api, send, server, surface, core, store, releases, registry, log, clock, settle,
    async command(user, text, o = {}) {
      const responseId = nextId('cmd');
      const at = { channel: o.channel ?? 'C0GENERAL', responseUrl: api.responseUrl(responseId), trigger: o.trigger ?? nextId('trigger-') };
      return { ...(await send.command(slashCommandFields({ id: user, name: nameOf(user) }, text, at), o)), responseId };
    },
    async click(user, verb, data, on, o = {}) {
      const responseId = nextId('act');
      const button = { actionId: verb, value: JSON.stringify(data), actionTs: o.actionTs ?? nextId('1700000100.') };
      const payload = buttonClickPayload({ id: user, name: nameOf(user) }, button, { ...on, responseUrl: api.responseUrl(responseId), trigger: nextId('trigger-') });
      return { ...(await send.interaction(payload, o)), responseId };
    },
    async close() {
      await surface.stop();
      await server.close();
      await api.close();
      await charts.close();
      await store.close();
    },
  };
}
