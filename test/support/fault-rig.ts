/**
 * The fault suite's bot: the real composition (composeApp over the local Azure emulator, SQLite in
 * a file so a restart finds what was recorded) with Slack as the chat, the real Bolt receiver on
 * the bot's HTTP server, and fault proxies in front of the emulator's Azure DevOps and of the fake
 * Slack Web API. Background loops run for real with short periods and short outbox deadlines, and
 * the emulator's clock moves on its own, so tests wait for outcomes (`waitFor`) like a person would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackSurface, type SlackSurface, type SlackSurfaceConfig } from '../../src/adapters/slack';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp, type ComposeInput } from '../../src/app/compose';
import { keepDeliverableChannels } from '../../src/app/demo';
import type { BotCore } from '../../src/core/surface';
import { loadConfig, parseRuntimeEnv } from '../../src/config';
import type { PromotionRequest } from '../../src/core/promotion/types';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { createMetrics, startHttpServer, type HttpServer, type Metrics } from '../../src/http';
import { CapturingLogger } from '../fakes/logger';
import { buttonClickPayload, FakeSlackApi, slashCommandFields, SlackSender, type SendOptions } from './fake-slack-api';
import { FaultProxy } from './fault-proxy';

export const SECRET = 'fault-signing-secret';

export interface FaultRigOptions {
  outbox?: ComposeInput['outbox'];
  slack?: Partial<SlackSurfaceConfig>;
  /** Azure DevOps call bounds (default: short, so outages fail fast). */
  devopsTimeoutMs?: number;
  /** Lets a test put something between the surface and the core (a process that dies mid-command). */
  wrapCore?: (core: BotCore) => BotCore;
}

export interface FaultRig {
  emu: RunningEmulator;
  ado: FaultProxy;
  slack: FaultProxy;
  api: FakeSlackApi;
  app: ComposedApp;
  surface: SlackSurface;
  server: HttpServer;
  send: SlackSender;
  metrics: Metrics;
  log: CapturingLogger;
  command(user: string, text: string, opts?: SendOptions & { channel?: string; id?: string }): Promise<{ status: number; responseId: string }>;
  click(user: string, verb: string, requestId: string, on: { channel: string; ts: string }, id?: string): Promise<{ status: number; responseId: string }>;
  requests(): Promise<PromotionRequest[]>;
  /** A process gone without a word (kill -9): its loops stop, nothing is flushed; a new one starts on the same database. */
  restart(opts?: FaultRigOptions): Promise<void>;
  close(): Promise<void>;
}

export const USERS: Record<string, string> = { U0ALICE: 'alice', U0BOB: 'bob', U0CAROL: 'carol', U0ADMIN: 'admin' };

/** Polls `cond` until it holds; fails with `what` after `ms`. */
export async function waitFor(what: string, cond: () => Promise<boolean> | boolean, ms = 15_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await cond()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let seq = 0;

export async function faultRig(opts: FaultRigOptions = {}): Promise<FaultRig> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-faults-'));
  const log = new CapturingLogger();
  let emulatorNow = Date.now();
  const emu = await startEmulator({ dataDir: join(dir, 'emulator'), log, autoTick: false, jobEveryMs: 0, clock: { now: () => new Date(emulatorNow) } });
  // Releases move on by themselves, a simulated minute every 100 ms.
  const ticker = setInterval(() => { emulatorNow += 60_000; emu.tick(); }, 100);
  const ado = await FaultProxy.start(emu.devopsUrl);
  const api = await new FakeSlackApi().start();
  for (const [id, name] of Object.entries(USERS)) api.users.set(id, { name });
  const slack = await FaultProxy.start(api.url);
  const azure: AzureEndpoints = {
    armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: ado.base(emu.devopsUrl),
    identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader, ca: emu.ca, graphEndpoint: emu.armUrl, tenantId: emu.tenantId,
    devopsRetry: { maxRetries: 1, retryDelayMs: 20, maxRetryDelayMs: 50, maxRetryAfterMs: 1000 }, devopsTimeoutMs: opts.devopsTimeoutMs ?? 2000,
  };
  const loaded = await loadConfig(parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}` }), async () => '');
  // Refusals are summarised in the audit channel every 3 s here (60 s by default).
  loaded.settings = { ...keepDeliverableChannels(loaded.settings, ['slack'], log), promotionOrder: [], refusalDigestMs: 3000 };

  const start = async (o: FaultRigOptions) => {
    const metrics = createMetrics();
    const app = await composeApp({
      loaded, log, azure, metrics,
      timing: { workerMs: 50, pollMs: 150, tickMs: 500, jobPollMs: 0 },
      outbox: { giveUpAfterMs: 1500, backoff: { baseMs: 50, maxMs: 200 }, effectTimeoutMs: 5000, ...o.outbox },
    });
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', log, metrics, requestTimeoutMs: 2000 });
    const surface = createSlackSurface({
      core: o.wrapCore ? o.wrapCore(app.core) : app.core, log,
      config: { botToken: 'xoxb-faults', signingSecret: SECRET, mode: 'http', apiUrl: `${slack.url}/api/`, webApiRetries: 0, timeoutMs: 1000, ...o.slack },
    });
    app.chat.register('slack', surface.chat);
    app.directory.register('slack', surface.directory);
    app.addEffectHandlers(surface.effectHandlers);
    surface.mount(server);
    await surface.start();
    app.startBackground();
    return { app, server, surface, metrics, send: new SlackSender(`${server.url}/slack/events`, SECRET) };
  };

  let live = await start(opts);
  const rig: FaultRig = {
    emu, ado, slack, api, log,
    get app() { return live.app; },
    get surface() { return live.surface; },
    get server() { return live.server; },
    get send() { return live.send; },
    get metrics() { return live.metrics; },
    async command(user, text, o = {}) {
      const responseId = o.id ?? `cmd${++seq}`;
      const fields = slashCommandFields({ id: user, name: USERS[user] ?? user }, text, { channel: o.channel ?? 'C0TEAM', responseUrl: api.responseUrl(responseId), trigger: `t-${responseId}` });
      return { status: (await live.send.command(fields, o)).status, responseId };
    },
    async click(user, verb, requestId, on, id) {
      const responseId = id ?? `act${++seq}`;
      const payload = buttonClickPayload({ id: user, name: USERS[user] ?? user }, { actionId: verb, value: JSON.stringify({ requestId }), actionTs: `17000003${++seq}.0` },
        { ...on, responseUrl: api.responseUrl(responseId), trigger: `t-${responseId}` });
      return { status: (await live.send.interaction(payload)).status, responseId };
    },
    requests: () => live.app.store.listRequests({}),
    async restart(o = opts) {
      const dead = live;
      // Nothing is awaited: what the dead process had in flight is simply gone.
      void dead.app.close().catch(() => undefined);
      await dead.server.close();
      live = await start(o);
    },
    async close() {
      clearInterval(ticker);
      await live.surface.stop();
      await live.server.close();
      await live.app.close();
      await slack.close();
      await ado.close();
      await api.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
