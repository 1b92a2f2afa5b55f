/**
 * A whole bot behind the Teams surface (not a test file): createBotCore over the fakes, a real
 * SQLite file, the real OutboxWorker with the promotion effects, the Agents SDK's CloudAdapter on a real
 * port, and a fake Bot Connector that records what Teams would receive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTeamsSurface, type AppMode, type TeamsSurface } from '../../src/adapters/teams';
import type { Transport } from '../../src/adapters/teams/types';
import { openStore } from '../../src/adapters/store';
import { createBotCore } from '../../src/core/bot-core';
import type { BotCore } from '../../src/core/surface';
import { allCommands } from '../../src/core/commands/all';
import { CommandRegistry } from '../../src/core/commands/registry';
import type { Chat, Store } from '../../src/core/ports';
import { OutboxWorker } from '../../src/core/outbox/worker';
import { pollReleases, promotionEffectHandlers } from '../../src/core/promotion/effects';
import { PromotionService } from '../../src/core/promotion/service';
import type { BotSettings } from '../../src/core/settings';
import { startHttpServer, type HttpServer } from '../../src/http';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { FakeClock } from '../fakes/clock';
import { FakeDirectory } from '../fakes/directory';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';
import type { FakeConnector } from '../support/fake-connector';

export const APPROVALS = '19:approvals@thread.tacv2';
export const PERSONAL = 'personal-chat-id';
/** Adele is configured by Entra object id; Megan by her Teams user id (as the demo config does). */
export const ADELE_AAD = '6f1c2a3b-0000-4000-8000-000000000022';

export function teamsSettings(): BotSettings {
  const s = testSettings();
  return {
    ...s,
    environments: s.environments.map((e) => e.name !== 'prod' ? e : {
      ...e,
      approval: { ...e.approval!, approvers: ['teams:user-id-1', `teams:${ADELE_AAD}`] },
      channels: { approvals: [`teams:${APPROVALS}`], audit: [], notifications: [] },
    }),
  };
}

export interface TeamsBot {
  url: string;
  surface: TeamsSurface;
  core: BotCore;
  store: Store;
  releases: FakeReleases;
  log: CapturingLogger;
  send(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface TeamsBotOptions {
  dbFile: string;
  appId?: string;
  appPassword?: string;
  releases?: FakeReleases;
  /** MicrosoftAppTenantId; by default a fixed tenant with an app id, none without. */
  tenantId?: string | null;
  /** How the app runs; `demo` by default, where an anonymous endpoint is allowed. */
  appMode?: AppMode;
  local?: boolean;
  /** Replaces the SDK transport (which otherwise follows the app id). */
  transport?: Transport;
  /** Where the bot fetches token signing keys (a local issuer in tests). */
  keysUrl?: string;
}

export async function startTeamsBot(opts: TeamsBotOptions): Promise<TeamsBot> {
  const clock = new FakeClock();
  const store = await openStore(`sqlite:${opts.dbFile}`, { clock });
  const settings = teamsSettings();
  const registry = new FakeRegistry()
    .addVersion('dev', { name: 'taxi-model', version: '4', tags: { 'mlops-env-preprod': '2026-10-01T00:00:00.000Z', 'mlops-env-prod': '2026-10-10T00:00:00.000Z' } }, { rmse: 0.5 })
    .addVersion('dev', { name: 'taxi-model', version: '5', tags: { 'mlops-env-preprod': '2026-10-30T00:00:00.000Z' } }, { rmse: 0.49 });
  const releases = opts.releases ?? new FakeReleases();
  const directory = new FakeDirectory();
  const log = new CapturingLogger();
  let surface: TeamsSurface | undefined;
  // Late-bound: the surface needs the core, and the core's chat is the surface's.
  const chat: Chat = { post: (c, m) => surface!.chat.post(c, m), update: (r, m) => surface!.chat.update(r, m) };
  const ports = { registry, releases, schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin(), directory, store, chat, clock };
  const service = new PromotionService({ store, registry, directory, clock, settings, log });
  const worker = new OutboxWorker({ store, handlers: promotionEffectHandlers({ service, store, chat, releases, registry }), clock, log });
  const core = createBotCore({ settings, ports, log, commands: new CommandRegistry(allCommands) });
  const tenantId = opts.tenantId === null ? undefined : opts.tenantId ?? (opts.appId ? '00000000-0000-0000-0000-000000000001' : undefined);
  surface = createTeamsSurface({
    core, log, ...(opts.transport ? { transport: opts.transport } : {}),
    config: {
      appId: opts.appId, appPassword: opts.appPassword ? { reveal: () => opts.appPassword! } : undefined, appType: 'SingleTenant', tenantId, anonymous: !opts.appId,
      appMode: opts.appMode ?? 'demo', ...(opts.local ? { local: true } : {}),
      // Nothing in a test may reach the real key endpoints: an unreachable local port by default.
      keyUrls: { botFramework: opts.keysUrl ?? 'http://127.0.0.1:9/keys', entra: opts.keysUrl ?? 'http://127.0.0.1:9/keys' },
    },
  });
  const server: HttpServer = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  surface.mount(server);
  return {
    url: server.url, surface, core, store, releases, log,
    async send(activity, headers = {}) {
      const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : undefined };
    },
    /** Runs due effects, polls Azure DevOps once (as the release poller does), and runs what that caused. */
    async drain() {
      const run = async () => { for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++); };
      await run();
      await pollReleases({ service, store, releases });
      await run();
    },
    async close() { await server.close(); await store.close(); },
  };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

let seq = 0;
/** A fixture activity with a fresh id, pointed at the fake connector, with fields replaced. */
export function activity(name: string, connector: FakeConnector, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const base = JSON.parse(readFileSync(join(__dirname, '../fixtures/teams', `${name}.json`), 'utf8')) as Record<string, unknown>;
  return { ...base, id: `${String(base.id)}-${++seq}`, serviceUrl: connector.url, ...patch };
}

export const USERS = {
  alex: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020' },
  megan: { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' },
  adele: { id: 'user-id-2', name: 'Adele Vance', aadObjectId: ADELE_AAD },
  isaiah: { id: 'user-id-3', name: 'Isaiah Langer', aadObjectId: '00000000-0000-0000-0000-0000000000023' },
};

/** An Action.Execute click (or refresh) on a card in the approvals channel. */
export function click(connector: FakeConnector, from: (typeof USERS)[keyof typeof USERS], verb: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return activity('invoke-action-execute', connector, { from, value: { action: { type: 'Action.Execute', verb, data }, ...extra } });
}

/** Every Action.Execute verb anywhere in a card. */
export function executeVerbs(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string' && o !== (card as Record<string, unknown>).refresh) out.push(o.verb);
      Object.entries(o).forEach(([k, x]) => { if (k !== 'refresh') walk(x); });
    }
  };
  walk(card);
  return out;
}

export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}
