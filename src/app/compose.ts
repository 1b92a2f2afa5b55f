/**
 * The composition root's workhorse: given parsed configuration and where Azure is, build the
 * store, the ports, the promotion service, the outbox worker and the BotCore surfaces talk to.
 * `src/main.ts` calls it for the server and for the CLI; tests call it against the emulator.
 */
import { VegaChartRenderer } from '../adapters/charts';
import { openStore } from '../adapters/store';
import type { LoadedConfig } from '../config';
import { allCommands } from '../core/commands/all';
import { CommandRegistry } from '../core/commands/registry';
import type { Ports } from '../core/commands/types';
import { defaultLaneOf } from '../core/outbox/lanes';
import { OutboxWorker, type EffectHandler, type OutboxWorkerOptions } from '../core/outbox/worker';
import { promotionLaneOf } from '../core/promotion/lanes';
import { reportDeadEffect } from './dead-effects';
import type { Metrics } from '../http/metrics';
import { deadEffectsCounter } from './outbox-metrics';
import { auditEffectHandlers } from '../core/audit/post';
import { createNotifications, JobPoller, type Notifications, type PollResult } from '../core/notifications';
import { refreshCatalogue } from '../core/catalogue/model-catalogue';
import { pollReleases, promotionEffectHandlers } from '../core/promotion/effects';
import { PromotionService } from '../core/promotion/service';
import { rollbackEffectHandlers } from '../core/rollback/effects';
import type { Clock, LiveMetrics, Logger, Store } from '../core/ports';
import { checkDueRollouts } from '../core/rollout/driver';
import { rolloutEffectHandlers } from '../core/rollout/effects';
import { RolloutEngine } from '../core/rollout/engine';
import type { GraphDirectory } from '../adapters/entra';
import { buildAzurePorts, buildGraphDirectory, type AzureEndpoints } from './azure';
import { buildAccountLinks, type AccountLinkSetup } from './account-links';
import type { EntraAccountLinks } from '../adapters/account-links';
import { linkEffectHandlers } from '../core/links/notice-handler';
import { every, type Loop } from './background';
import { createReplicas, type Replicas } from './replicas';
import { createBotCore } from '../core/bot-core';
import { ChatRouter } from './chat-router';
import { DirectoryRouter } from './directory';
import type { BotCore } from '../core/surface';

export interface ComposeInput {
  loaded: LoadedConfig;
  azure: AzureEndpoints;
  log: Logger;
  clock?: Clock;
  /** Periods of the background loops (ms). */
  timing?: Partial<Timing>;
  /** The outbox worker runs only effects recorded since then (the CLI's own work); default all. */
  ownEffectsSince?: Date;
  /** Retry deadline, backoff and bounds of the outbox (tests and benchmarks shorten them). */
  outbox?: Partial<Pick<OutboxWorkerOptions, 'giveUpAfterMs' | 'backoff' | 'effectTimeoutMs' | 'concurrency' | 'leaseMs'>>;
  /** Where the outbox reports its effects (`/metrics`); none when absent. */
  metrics?: Metrics;
  /** Live deployment figures for rollouts (tests pass their own); default: the Azure ports'. */
  liveMetrics?: LiveMetrics;
  /** Account linking (DESIGN 9.6); off when absent. */
  accountLinks?: AccountLinkSetup;
}

/**
 * `jobPollMs`: the job poller beside Event Grid (0 turns it off); `catalogueMs`: model names for hints (0: off);
 * `rolloutMs`: how often the leader looks for rollouts whose check is due.
 */
export interface Timing { workerMs: number; pollMs: number; tickMs: number; jobPollMs: number; catalogueMs: number; rolloutMs: number }
const DEFAULT_TIMING: Timing = { workerMs: 1000, pollMs: 5000, tickMs: 60_000, jobPollMs: 60_000, catalogueMs: 5 * 60_000, rolloutMs: 5000 };

export interface ComposedApp {
  core: BotCore;
  store: Store;
  ports: Ports;
  chat: ChatRouter;
  directory: DirectoryRouter;
  /** Microsoft Graph lookups for the surfaces' directories; absent when no tenant is configured. */
  graphDirectory?: GraphDirectory;
  /** Linked accounts and delegated Azure DevOps tokens; absent when linking is off. */
  accountLinks?: EntraAccountLinks;
  service: PromotionService;
  notifications: Notifications;
  /** Fallback intake of failed Azure ML jobs (runs as a background loop beside Event Grid). */
  jobPoller: JobPoller;
  worker: OutboxWorker;
  /** Who leads the pollers and timers among replicas on one database (always this one with SQLite). */
  replicas: Replicas;
  /** Extra effect handlers (notifications, …) are added before the loops start. */
  addEffectHandlers(handlers: Record<string, EffectHandler>): void;
  /** One pass of background work: run due effects, follow releases, advance the clock; returns effects run. */
  runBackgroundOnce(): Promise<number>;
  /** Reads every environment's model names into the store (a background loop; benchmarks call it). */
  refreshCatalogue(): Promise<void>;
  /** One pass of the job poller (the CLI leaves it to the server; tests call it directly). */
  pollJobsOnce(): Promise<PollResult>;
  startBackground(): void;
  close(): Promise<void>;
}

export function databaseUrlOf(loaded: LoadedConfig): string {
  const db = loaded.runtime.database;
  return db.kind === 'sqlite' ? `sqlite:${db.path}` : db.url.reveal();
}

export async function composeApp(input: ComposeInput): Promise<ComposedApp> {
  const { loaded, log } = input;
  const settings = loaded.settings;
  const clock = input.clock ?? { now: () => new Date() };
  const timing = { ...DEFAULT_TIMING, ...input.timing };
  const azure = buildAzurePorts(settings, loaded.runtime, input.azure, log);
  const store = await openStore(databaseUrlOf(loaded), { clock, log: log.child({ component: 'store' }) });
  const chat = new ChatRouter();
  const directory = new DirectoryRouter();
  const graphDirectory = buildGraphDirectory(input.azure, azure.credential, store, log, clock);
  const liveMetrics = input.liveMetrics ?? azure.liveMetrics;
  const accountLinks = input.accountLinks ? buildAccountLinks(input.accountLinks, { store, clock, log, settings }) : undefined;
  // Loads nothing until the first chart: the charting libraries start in a worker thread then.
  const charts = new VegaChartRenderer();
  const ports: Ports = { ...azure, directory, store, chat, clock, charts, ...(liveMetrics ? { liveMetrics } : {}), ...(accountLinks ? { accountLinks } : {}) };
  const service = new PromotionService({ store, registry: azure.registry, serving: azure.serving, directory, clock, settings, log: log.child({ component: 'promotion' }) });
  const loops: Loop[] = [];
  const wakeWorker = (): void => loops[0]?.wake();
  const replicas = createReplicas({ store, clock, log, shared: loaded.runtime.database.kind === 'postgres', runtime: loaded.runtime.replicas });
  const replica = { holder: replicas.replica, turnMs: loaded.runtime.replicas.leaseTtlMs };
  const rollouts = new RolloutEngine({ store, settings, clock, log: log.child({ component: 'rollout' }), onRecorded: wakeWorker });
  const notifications = createNotifications({ store, chat, clock, log, settings, onRecorded: wakeWorker, replica, jobs: azure.registry });
  const handlers: Record<string, EffectHandler> = {
    // Linked accounts (DESIGN 9.6), when signing in is set up: approvals granted as the person.
    ...promotionEffectHandlers({ service, store, chat, releases: azure.releases, registry: azure.registry, ...(ports.accountLinks ? { accountLinks: ports.accountLinks } : {}) }),
    ...rollbackEffectHandlers({ service, serving: azure.serving, chat }),
    ...rolloutEffectHandlers({ engine: rollouts, serving: azure.serving, chat, charts }),
    ...notifications.handlers,
    ...auditEffectHandlers({ chat, store, settings }),
    ...linkEffectHandlers({ chat }),
  };
  const jobPoller = new JobPoller({ store, registry: azure.registry, router: notifications.router, settings, clock, log: log.child({ component: 'job-poller' }) });
  const deadEffects = deadEffectsCounter(input.metrics);
  const worker = new OutboxWorker({
    store, handlers, clock, log: log.child({ component: 'outbox' }), leaseMs: loaded.runtime.replicas.effectLeaseMs, 
    ...(input.ownEffectsSince ? { ownEffectsSince: input.ownEffectsSince } : {}), ...input.outbox,
    laneOf: (e) => promotionLaneOf(e) ?? defaultLaneOf(e),
    onSettled: wakeWorker,
    async onDead(effect, error, failedForMs) {
      deadEffects(effect.kind);
      await reportDeadEffect({ service, store, settings }, effect, error, failedForMs);
    },
  });
  const commands = new CommandRegistry(allCommands);
  const core = createBotCore({ settings, ports, log, commands, onActivity: wakeWorker });

  const drainEffects = async (): Promise<number> => {
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const n = await worker.runOnce();
      if (n === 0) break;
      total += n;
    }
    return total;
  };
  const follow = async (): Promise<void> => {
    const polled = await pollReleases({ service, store, releases: azure.releases, log });
    if (polled.changed > 0) wakeWorker();
  };
  // Every environment's model names, so hints and long lists never walk every page while someone waits.
  const refreshNames = async (): Promise<void> => {
    await Promise.all(settings.environments.map((e) => refreshCatalogue({ registry: azure.registry, store, clock }, e.name)));
  };
  const tick = async (): Promise<void> => {
    if ((await service.tick()) > 0) wakeWorker();
  };
  const checkRollouts = (): Promise<number> => checkDueRollouts({ engine: rollouts, serving: azure.serving, liveMetrics });

  return {
    core, store, ports, chat, directory, graphDirectory, accountLinks, service, notifications, jobPoller, worker, replicas,
    addEffectHandlers: (extra) => Object.assign(handlers, extra),
    async runBackgroundOnce() {
      const before = await drainEffects();
      await follow();
      await tick();
      await checkRollouts();
      return before + (await drainEffects());
    },
    pollJobsOnce: () => jobPoller.pollOnce(),
    refreshCatalogue: refreshNames,
    startBackground() {
      if (loops.length > 0) return;
      // Every replica runs the outbox (claims never overlap); pollers, timers and background
      // refreshes run on the leader only: a new one goes through replicas.led() too. The outbox
      // loop claims and starts effects without waiting for slow ones (they finish in their lanes).
      loops.push(every('outbox', timing.workerMs, () => worker.pump(), log));
      const led = [every('releases', timing.pollMs, replicas.led('releases', follow), log), every('promotion-clock', timing.tickMs, replicas.led('promotion-clock', tick), log)];
      led.push(every('rollouts', timing.rolloutMs, replicas.led('rollouts', checkRollouts), log));
      if (timing.jobPollMs > 0) led.push(every('job-poll', timing.jobPollMs, replicas.led('job-poll', () => jobPoller.pollOnce()), log));
      if (timing.catalogueMs > 0) led.push(every('model-catalogue', timing.catalogueMs, replicas.led('model-catalogue', refreshNames), log));
      loops.push(...led);
      // A replica that takes over runs the led passes at once instead of waiting a period.
      replicas.start(() => led.forEach((l) => l.wake()));
    },
    async close() {
      await Promise.all(loops.splice(0).map((l) => l.stop()));
      await worker.idle();
      await replicas.stop();
      await charts.close();
      await store.close();
    },
  };
}
