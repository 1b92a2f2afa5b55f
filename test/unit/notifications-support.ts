/** Shared by the notification tests: fixtures, settings with two alert channels, a drained worker. */
import fs from 'node:fs';
import path from 'node:path';
import { OutboxWorker } from '../../src/core/outbox/worker';
import type { EffectHandler } from '../../src/core/outbox/worker';
import type { Clock, Logger, Store } from '../../src/core/ports';
import type { BotSettings } from '../../src/core/settings';
import type { FakeClock } from '../fakes/clock';
import { testSettings } from '../fakes/settings';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function fixture<T = unknown>(family: 'eventgrid' | 'servicehooks', name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, family, name), 'utf8')) as T;
}

/** testSettings() with dev alerts in `slack:C0DEV` besides prod's `slack:C0ALERTS`. */
export function notificationSettings(): BotSettings {
  const s = testSettings();
  s.environments = s.environments.map((e) => (e.name === 'dev' ? { ...e, channels: { ...e.channels, notifications: ['slack:C0DEV'] } } : e));
  return s;
}

export function workspaceArmId(settings: BotSettings, env: string): string {
  const ws = settings.environments.find((e) => e.name === env)!.workspace;
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
}

type Json = Record<string, any>;

/** The official RunStatusChanged sample (either schema), re-aimed at a configured workspace. */
export function runStatusEvent(schema: 'eventgridschema' | 'cloudevents', opts: { id: string; env?: string; status?: string; settings?: BotSettings; experiment?: string; runId?: string }): Json {
  const [event] = fixture<Json[]>('eventgrid', `ml-RunStatusChanged.${schema}.json`);
  const settings = opts.settings ?? notificationSettings();
  const target = opts.env ? workspaceArmId(settings, opts.env) : undefined;
  const out: Json = { ...event, id: opts.id, data: { ...event.data } };
  if (target) out[schema === 'cloudevents' ? 'source' : 'topic'] = target;
  if (opts.status !== undefined) out.data.runStatus = opts.status;
  if (opts.experiment) out.data.experimentName = opts.experiment;
  if (opts.runId) { out.data.runId = opts.runId; out.subject = `experiments/${event.data.experimentId}/runs/${opts.runId}`; }
  return out;
}

/** Runs the worker, moving the fake clock on between rounds, until nothing is due for a while. */
export async function drain(worker: OutboxWorker, clock: FakeClock, opts: { stepMs?: number; rounds?: number } = {}): Promise<void> {
  let idle = 0;
  for (let i = 0; i < (opts.rounds ?? 200) && idle < 5; i++) {
    const n = await worker.runOnce();
    idle = n === 0 ? idle + 1 : 0;
    if (n < 20) clock.advance(opts.stepMs ?? 1000);
  }
}

export function makeWorker(store: Store, handlers: Record<string, EffectHandler>, clock: Clock, log: Logger): OutboxWorker {
  return new OutboxWorker({ store, handlers, clock, log, leaseMs: 30_000, maxAttempts: 20, batchSize: 20 });
}
