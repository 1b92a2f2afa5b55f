/**
 * A bot killed with SIGKILL between two steps of a rollout: a new process on the same database
 * resumes it from the store and finishes it, and no step is done twice (counted at the emulator:
 * one traffic update per step; in the store: one audit entry and one done effect per step).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import { parseRuntimeEnv } from '../../src/config';
import { parseBotSettings } from '../../src/config/settings-parser';
import type { Rollout } from '../../src/core/rollout/types';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { startBot, stopBot, type BotProcess } from '../support/replica-fleet';
import { emulatorAzure } from '../support/emulator-azure';

jest.setTimeout(180_000);

const ENDPOINT_PUT = /\/workspaces\/mlw-mlopsv2-0001prod\/onlineEndpoints\/taxi-online$/;
const log = new CapturingLogger();

let dir: string;
let emu: RunningEmulator;
let app: ComposedApp;
let bot: BotProcess | undefined;
const puts: string[] = [];

function config(subscriptionId: string): string {
  const ws = (env: string) => `{ subscriptionId: "${subscriptionId}", resourceGroup: rg-mlopsv2-0001${env}, name: mlw-mlopsv2-0001${env} }`;
  return `devops: { project: mlops-v2 }
source: dev
environments:
  - name: dev
    workspace: ${ws('dev')}
    channels: { approvals: [], audit: [], notifications: [] }
  - name: prod
    workspace: ${ws('prod')}
    approval: { approvers: ["cli:alice"], minApprovals: 1, enforcedBy: bot }
    channels: { approvals: [], audit: [], notifications: [] }
models:
  - match: "taxi-*"
    serving: { kind: online, endpoint: taxi-online }
admins: ["cli:admin"]
`;
}

function botEnv(name: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    MLOPS_CONFIG: join(dir, 'mlops.yaml'), DATABASE_URL: `sqlite:${join(dir, 'bot.db')}`, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    MLOPS_REPLICA_ID: name, MLOPS_EFFECT_LEASE: '5s',
    AZURE_RESOURCE_MANAGER_ENDPOINT: emu.armUrl, AZURE_DEVOPS_ORG_URL: emu.devopsUrl, IDENTITY_ENDPOINT: emu.identityEndpoint, IDENTITY_HEADER: emu.identityHeader,
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${bot?.output.join('') ?? ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-rollout-kill-'));
  emu = await startEmulator({
    dataDir: join(dir, 'emulator'), log, autoTick: false, jobEveryMs: 0,
    onRequest: (r) => { if (r.method === 'PUT' && ENDPOINT_PUT.test(r.path)) puts.push(new Date().toISOString()); },
  });
  writeFileSync(join(dir, 'ca.pem'), emu.ca);
  writeFileSync(join(dir, 'mlops.yaml'), config(emu.subscriptionId));
  // The test's own view of the same bot database and Azure: it types the command; the bot processes do the work.
  const runtime = parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}` });
  const settings = parseBotSettings(config(emu.subscriptionId), 'mlops.yaml');
  app = await composeApp({
    loaded: { runtime, settings, mode: 'configured' }, log,
    azure: emulatorAzure(emu),
  });
});

afterAll(async () => {
  if (bot) await stopBot(bot);
  await app?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rolloutOf = async (): Promise<Rollout> => (await app.store.listRollouts({ limit: 1 })).rollouts[0];

it('SIGKILL between two steps: the next process resumes the rollout and no step runs twice', async () => {
  // v3 waits on blue at 0% (green v2 takes the traffic), as a release's blue/green step leaves it.
  await app.ports.serving!.setTraffic('prod', 'taxi-online', { green: 100, blue: 0 });
  puts.length = 0;
  bot = await startBot('bot-1', botEnv('bot-1'));
  const started = await app.core.handle({ text: 'rollout taxi-model prod --every 10s', caller: { id: 'cli:alice', platform: 'cli', displayName: 'alice' }, correlationId: 'kill-1' });
  expect(started.status).toBe('ok');

  // Step 1 (10%) at once, step 2 (50%) after the first check: then the process dies.
  await until('the second step', async () => { const r = await rolloutOf(); return r.stepIndex === 1 && r.phase === 'watching'; });
  bot.kill9();
  await new Promise((r) => bot!.child.once('exit', r));
  expect(puts).toHaveLength(2);
  expect(await app.ports.serving!.getOnlineEndpoint('prod', 'taxi-online')).toMatchObject({ traffic: { blue: 50, green: 50 } });

  bot = await startBot('bot-2', botEnv('bot-2'));
  await until('the rollout to finish', async () => (await rolloutOf()).status === 'succeeded', 90_000);
  const r = await rolloutOf();
  expect(puts).toHaveLength(3);
  expect(await app.ports.serving!.getOnlineEndpoint('prod', 'taxi-online')).toMatchObject({ traffic: { blue: 100, green: 0 } });
  expect(r.checks.map((c) => `${c.percent}% ${c.verdict}`)).toEqual(['10% pass', '50% pass']);
  const audit = (await app.store.listAudit({ requestId: r.id })).map((a) => a.action).reverse();
  expect(audit).toEqual(['rollout.started', 'rollout.step', 'rollout.step', 'rollout.succeeded']);
  for (const step of [0, 1, 2]) expect(await app.store.getEffect(`rollout:${r.id}:step:${step}`)).toMatchObject({ status: 'done' });
  expect(await app.store.getEffect(`rollout:${r.id}:step:3`)).toBeNull();
});
