/**
 * The embedded default (DESIGN §7): the local Azure emulator in `./data/emulator`, shared between
 * `npm start` and the CLI. The process that runs it leaves a lease file with its endpoints; another
 * process (the CLI while the server runs) attaches to it instead of starting a second emulator on
 * the same state.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../core/ports';
import type { BotSettings } from '../core/settings';
import type { Platform } from '../core/identity';
import { splitQualified } from '../core/identity';
import { SEED_TENANT_ID, startEmulator, type EmulatorEvent } from '../emulator';
import type { AzureEndpoints } from './azure';

export interface DemoAzure {
  endpoints: AzureEndpoints;
  /** True when another process (the server) runs the emulator and this one only uses it. */
  attached: boolean;
  /** Present when this process runs the emulator (absent when attached to another's). */
  subscribe?: (listener: (event: EmulatorEvent) => void) => () => void;
  close(): Promise<void>;
}

/** `authorityHost` and `signInClientId` are absent in leases written before the emulator served sign-in. */
interface Lease { pid: number; armUrl: string; devopsUrl: string; identityEndpoint: string; identityHeader: string; authorityHost?: string; signInClientId?: string }

const ARM_AUDIENCE = 'https://management.azure.com';

export async function startDemoAzure(dataDir: string, log: Logger, opts: { attach: boolean }): Promise<DemoAzure> {
  const dir = join(dataDir, 'emulator');
  const leaseFile = join(dir, 'running.json');
  const lease = opts.attach ? readLiveLease(leaseFile) : undefined;
  if (lease) {
    log.info({ armUrl: lease.armUrl }, 'attached to the running local Azure emulator');
    const ca = readFileSync(join(dir, 'emulator-ca.pem'), 'utf8');
    return { endpoints: toEndpoints(lease, ca), attached: true, close: async () => undefined };
  }
  // A training job a minute keeps the demo lively: about a third of them fail and raise notifications.
  // Same ports after a restart: links already posted (Open release N) and the CLI keep working.
  const emulator = await startEmulator({ dataDir: dir, log, jobEveryMs: 60_000, rememberPorts: true });
  const mine: Lease = {
    pid: process.pid, armUrl: emulator.armUrl, devopsUrl: emulator.devopsUrl, identityEndpoint: emulator.identityEndpoint, identityHeader: emulator.identityHeader,
    authorityHost: emulator.authorityHost, signInClientId: emulator.signInClientId,
  };
  writeFileSync(leaseFile, JSON.stringify(mine), { mode: 0o600 });
  log.info({ armUrl: emulator.armUrl, devopsUrl: emulator.devopsUrl }, 'local Azure emulator started');
  return {
    endpoints: toEndpoints(mine, emulator.ca),
    attached: false,
    subscribe: (listener) => emulator.subscribe(listener),
    async close() {
      if (readLease(leaseFile)?.pid === process.pid) rmSync(leaseFile, { force: true });
      await emulator.close();
    },
  };
}

function toEndpoints(lease: Lease, ca: string): AzureEndpoints {
  return {
    armEndpoint: lease.armUrl, armAudience: ARM_AUDIENCE, devopsOrgUrl: lease.devopsUrl,
    identityEndpoint: lease.identityEndpoint, identityHeader: lease.identityHeader, ca,
    graphEndpoint: lease.armUrl, tenantId: SEED_TENANT_ID,
    ...(lease.authorityHost && lease.signInClientId ? { authorityHost: lease.authorityHost, signInClientId: lease.signInClientId } : {}),
  };
}

function readLease(file: string): Lease | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Lease;
  } catch {
    return undefined;
  }
}

function readLiveLease(file: string): Lease | undefined {
  const lease = readLease(file);
  if (!lease || lease.pid === process.pid) return undefined;
  try {
    process.kill(lease.pid, 0);
    return lease;
  } catch {
    return undefined;
  }
}

/**
 * The demo config names channels on every platform; keep only those of platforms this process
 * can deliver to, so a demo without Slack credentials does not pile up undeliverable posts.
 */
export function keepDeliverableChannels(settings: BotSettings, platforms: readonly Platform[], log: Logger): BotSettings {
  const keep = (ids: string[]): string[] => ids.filter((id) => {
    const p = splitQualified(id)?.platform;
    return p !== undefined && platforms.includes(p);
  });
  const dropped = new Set<string>();
  const environments = settings.environments.map((env) => {
    const channels = { approvals: keep(env.channels.approvals), audit: keep(env.channels.audit), notifications: keep(env.channels.notifications) };
    for (const id of [...env.channels.approvals, ...env.channels.audit, ...env.channels.notifications]) {
      if (![...channels.approvals, ...channels.audit, ...channels.notifications].includes(id)) dropped.add(id);
    }
    return { ...env, channels };
  });
  if (dropped.size > 0) log.info({ channels: [...dropped] }, 'demo channels on platforms that are not set up are left out');
  return { ...settings, environments };
}

/** The demo keeps the emulator's state beside the SQLite database (`./data` by default). */
export function demoDataDir(db: { kind: string; path?: string }): string {
  return db.kind === 'sqlite' && db.path && db.path !== ':memory:' ? dirname(db.path) : './data';
}

/** The chat platforms a demo server can deliver to: the console, the Playground, and Slack when configured. */
export function demoPlatforms(slackConfigured: boolean): Platform[] {
  return ['cli', 'teams', ...(slackConfigured ? (['slack'] as const) : [])];
}
