/**
 * Several bot processes on one PostgreSQL schema, as a deployment with replicas behind a load
 * balancer runs them (DESIGN §9.9): each is `src/main.ts` in its own Node process, configured by a
 * YAML file for the local Azure emulator (started here, in the test process), with Slack pointed at
 * the fake Web API. The emulator's Event Grid and service-hook deliveries go to every replica, as a
 * load balancer retrying across instances would. Used by the replicas test and by bench/replicas.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openStore } from '../../src/adapters/store';
import { createWebhookForwarder } from '../../src/app/demo-webhooks';
import type { Logger, Store } from '../../src/core/ports';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { FakeSlackApi, slashCommandFields, SlackSender, buttonClickPayload, type Delivery, type SendOptions } from './fake-slack-api';

const ROOT = join(__dirname, '..', '..');
export const FLEET_SIGNING_SECRET = 'fleet-signing-secret-5b7d';
export const FLEET_HOOKS = { eventGridKey: 'fleet-eventgrid-key-91c2', devopsHookUser: 'fleet-hooks', devopsHookPassword: 'fleet-hook-password-3e8a' };
export const CHANNELS = { approvals: 'C0APPROVALS', audit: 'C0AUDIT', alerts: 'C0ALERTS', general: 'C0GENERAL', releases: 'C0RELEASES' };

export interface FleetOptions {
  pgUrl: string;
  replicas: number;
  /** MLOPS_LEASE_TTL and MLOPS_EFFECT_LEASE for the bots (short ones keep a failover test quick). */
  leaseTtl?: string;
  effectLease?: string;
  logLevel?: string;
}

export interface BotProcess {
  name: string;
  url: string;
  child: ChildProcess;
  alive: boolean;
  output: string[];
  send: SlackSender;
  kill9(): void;
  health(): Promise<{ status: number; leader?: boolean }>;
}

export interface Fleet {
  emu: RunningEmulator;
  slack: FakeSlackApi;
  bots: BotProcess[];
  schema: string;
  /** Where the emulator keeps its state file (`emulator-state.json`). */
  emuDir: string;
  /** A store on the fleet's schema, for the test's own reads. */
  store: Store;
  /** Raw SQL on the fleet's schema (counts the API does not offer). */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A slash command from `user` to replica `i`. */
  command(i: number, user: string, text: string, opts?: SendOptions & { channel?: string; responseId?: string }): Promise<Delivery>;
  /** A button click from `user` to replica `i`; the same `actionTs` makes it a redelivery. */
  click(i: number, user: string, verb: string, data: Record<string, unknown>, on: { channel: string; ts: string }, opts?: SendOptions & { actionTs?: string }): Promise<Delivery>;
  /** The replica that says it leads (undefined while none does). */
  leader(): Promise<number | undefined>;
  close(): Promise<void>;
}

let seq = 0;
const next = (prefix: string): string => `${prefix}${Date.now().toString(36)}${++seq}`;

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-fleet-'));
  const log: Logger = new CapturingLogger();
  const emu = await startEmulator({ dataDir: join(dir, 'emulator'), log, autoTick: 1000, jobEveryMs: 0 });
  const slack = await new FakeSlackApi().start();
  for (const [id, name] of [['U0ALICE', 'alice'], ['U0BOB', 'bob'], ['U0CAROL', 'carol'], ['U0ADMIN', 'admin']]) slack.users.set(id, { name });
  const schema = `fleet_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const dbUrl = `${opts.pgUrl}${opts.pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const store = await openStore(opts.pgUrl, { schema, poolMax: 4 });
  writeFileSync(join(dir, 'ca.pem'), emu.ca);
  writeFileSync(join(dir, 'mlops.yaml'), fleetConfig(emu.subscriptionId));

  const env = (i: number): Record<string, string> => ({
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir,
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: opts.logLevel ?? 'warn',
    MLOPS_CONFIG: join(dir, 'mlops.yaml'), DATABASE_URL: dbUrl, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    MLOPS_REPLICA_ID: `bot-${i + 1}`, MLOPS_LEASE_TTL: opts.leaseTtl ?? '3s', MLOPS_EFFECT_LEASE: opts.effectLease ?? '10s',
    SLACK_BOT_TOKEN: 'xoxb-fleet-token', SLACK_SIGNING_SECRET: FLEET_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
    AZURE_RESOURCE_MANAGER_ENDPOINT: emu.armUrl, AZURE_DEVOPS_ORG_URL: emu.devopsUrl,
    IDENTITY_ENDPOINT: emu.identityEndpoint, IDENTITY_HEADER: emu.identityHeader,
    EVENTGRID_KEY: FLEET_HOOKS.eventGridKey, AZURE_DEVOPS_HOOK_USER: FLEET_HOOKS.devopsHookUser, AZURE_DEVOPS_HOOK_PASSWORD: FLEET_HOOKS.devopsHookPassword,
  });
  const bots = await Promise.all(Array.from({ length: opts.replicas }, (_, i) => startBot(`bot-${i + 1}`, env(i))));
  const stops = bots.map((b) => emu.subscribe(createWebhookForwarder(b.url, FLEET_HOOKS, log)));
  const nameOf = (user: string): string => slack.users.get(user)?.name ?? user.toLowerCase();

  return {
    emu, slack, bots, schema, store, emuDir: join(dir, 'emulator'),
    async sql(text, params = []) {
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      try { return (await c.query(text, params)).rows as Record<string, unknown>[]; } finally { await c.end(); }
    },
    command: (i, user, text, o = {}) => bots[i].send.command(
      slashCommandFields({ id: user, name: nameOf(user) }, text, { channel: o.channel ?? CHANNELS.general, responseUrl: slack.responseUrl(o.responseId ?? next('cmd')), trigger: next('trigger-') }), o),
    click: (i, user, verb, data, on, o = {}) => bots[i].send.interaction(buttonClickPayload(
      { id: user, name: nameOf(user) }, { actionId: verb, value: JSON.stringify(data), actionTs: o.actionTs ?? `${Date.now() / 1000}` },
      { ...on, responseUrl: slack.responseUrl(next('act')), trigger: next('trigger-') }), o),
    async leader() {
      const answers = await Promise.all(bots.map((b) => (b.alive ? b.health().catch(() => ({ status: 0 })) : { status: 0 })));
      const i = answers.findIndex((a) => 'leader' in a && a.leader === true);
      return i < 0 ? undefined : i;
    },
    async close() {
      stops.forEach((s) => s());
      await Promise.all(bots.map(stopBot));
      await store.close();
      await slack.close();
      await emu.close();
      const c = new Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function startBot(name: string, env: Record<string, string>): Promise<BotProcess> {
  // One process per bot (tsx as a loader, not its CLI, which would run the bot in a child): SIGKILL hits the bot itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // A test run that dies half way must not leave bots running on the machine.
  const reap = (): void => { child.kill('SIGKILL'); };
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} did not start within 60 s:\n${output.join('')}`)); }, 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      if (output.length > 400) output.splice(0, 100);
      const m = /MLOps Bot listening on (http:\/\/\S+)/.exec(text);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1];
      const bot: BotProcess = {
        name, url, child, alive: true, output,
        send: new SlackSender(`${url}/slack/events`, FLEET_SIGNING_SECRET),
        kill9() { child.kill('SIGKILL'); bot.alive = false; },
        async health() {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
          const body = (await res.json()) as { leader?: boolean };
          return { status: res.status, leader: body.leader };
        },
      };
      child.once('exit', () => { bot.alive = false; });
      resolve(bot);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited with ${code} before listening:\n${output.join('')}`)); });
  });
}

export async function stopBot(bot: BotProcess): Promise<void> {
  if (!bot.alive || bot.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => bot.child.once('exit', () => resolve()));
  bot.child.kill('SIGTERM');
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The emulator's mlops-v2 story with Slack channels; prod needs one approval from Alice or Bob. */
function fleetConfig(subscriptionId: string): string {
  const ws = (env: string) => `{ subscriptionId: "${subscriptionId}", resourceGroup: rg-mlopsv2-0001${env}, name: mlw-mlopsv2-0001${env} }`;
  const channels = (env: string) => `{ approvals: ["slack:${CHANNELS.approvals}"], audit: ["slack:${CHANNELS.audit}"], notifications: [${env === 'prod' ? `"slack:${CHANNELS.alerts}"` : ''}] }`;
  return `devops: { project: mlops-v2 }
source: dev
environments:
  - name: dev
    workspace: ${ws('dev')}
    release: { kind: classic, definition: taxi-model-deploy, stage: dev }
    channels: ${channels('dev')}
  - name: preprod
    workspace: ${ws('preprod')}
    release: { kind: classic, definition: taxi-model-deploy, stage: preprod }
    channels: ${channels('preprod')}
  - name: prod
    workspace: ${ws('prod')}
    release: { kind: classic, definition: taxi-model-deploy, stage: prod }
    approval: { approvers: ["slack:U0ALICE", "slack:U0BOB"], minApprovals: 1, requesterCannotApprove: true, expiresAfter: 72h }
    channels: ${channels('prod')}
admins: ["slack:U0ADMIN"]
`;
}
