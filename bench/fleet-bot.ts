/**
 * The bot composed in-process against an emulator grown by seed-scale.ts, with every upstream
 * request recorded (API, arrival, answer): what the fleet benchmark and the request-count tests run.
 */
import { join } from 'node:path';
import { composeApp, type ComposedApp } from '../src/app/compose';
import { parseRuntimeEnv } from '../src/config';
import { demoSettings } from '../src/config/demo-config';
import type { Outcome } from '../src/core/commands/types';
import type { Logger } from '../src/core/ports';
import type { PromotionRequest } from '../src/core/promotion/types';
import { SEED_TENANT_ID, startEmulator, type EmulatorRequestRecord, type RunningEmulator } from '../src/emulator';
import type { GrownEstate } from './seed-scale';

const silent: Logger = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };

export interface FleetBot {
  app: ComposedApp;
  emulator: RunningEmulator;
  /**
   * Runs a command as `cli:admin`; returns its outcome and the requests it made. `fresh`: in a
   * newly composed app (no token, definition id or tracking URI known yet), as a CLI process runs it;
   * `unwarmed` (with `fresh`): the chart worker only starts on the chart, as before commands warmed it.
   */
  run(text: string, opts?: { fresh?: boolean; unwarmed?: boolean }): Promise<{ outcome: Outcome; records: EmulatorRequestRecord[]; ms: number; cpuMs: number }>;
  /** Runs `fn` and returns the requests it made, its wall time and the process's CPU time (all threads, the emulator's too). */
  measure<T>(fn: () => Promise<T>): Promise<{ value: T; records: EmulatorRequestRecord[]; ms: number; cpuMs: number }>;
  close(): Promise<void>;
}

/** `dir` holds the grown emulator state (`dir/emulator`) and the bot's SQLite store. */
export async function startFleetBot(dir: string, latencyMs = 0): Promise<FleetBot> {
  let records: EmulatorRequestRecord[] = [];
  const emulator = await startEmulator({ dataDir: join(dir, 'emulator'), log: silent, autoTick: false, latencyMs, onRequest: (r) => records.push(r) });
  const runtime = parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}`, LOG_LEVEL: 'error' });
  const azure = {
    armEndpoint: emulator.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emulator.devopsUrl,
    identityEndpoint: emulator.identityEndpoint, identityHeader: emulator.identityHeader, ca: emulator.ca, graphEndpoint: emulator.armUrl, tenantId: SEED_TENANT_ID,
  };
  const compose = (): Promise<ComposedApp> => composeApp({ loaded: { runtime, settings: demoSettings(), mode: 'demo' }, log: silent, azure, timing: { jobPollMs: 0, catalogueMs: 0 } });
  const app = await compose();
  const measure = async <T>(fn: () => Promise<T>): Promise<{ value: T; records: EmulatorRequestRecord[]; ms: number; cpuMs: number }> => {
    // Nothing of the previous step may still be in flight when counting starts.
    await new Promise((r) => setTimeout(r, latencyMs + 30));
    records = [];
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const value = await fn();
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { value, records: [...records], ms, cpuMs: (used.user + used.system) / 1000 };
  };
  return {
    app, emulator, measure,
    async run(text, opts = {}) {
      const target = opts.fresh ? await compose() : app;
      if (opts.fresh && opts.unwarmed && target.ports.charts) target.ports.charts.warm = () => undefined;
      try {
        const { value, records: made, ms, cpuMs } = await measure(() => target.core.handle({ text, caller: { id: 'cli:admin', platform: 'cli', displayName: 'admin' }, channel: 'cli:bench', correlationId: 'fleet' }));
        return { outcome: value, records: made, ms, cpuMs };
      } finally {
        if (opts.fresh) await target.close();
      }
    },
    async close() {
      await app.close();
      await emulator.close();
    },
  };
}

/** Open promotion requests in the bot's store for the releases waiting at the prod approval. */
export async function seedOpenRequests(app: ComposedApp, estate: GrownEstate): Promise<void> {
  const at = new Date().toISOString();
  for (const [i, w] of estate.waiting.entries()) {
    const id = `PR-B${String(i).padStart(4, '0')}`;
    if (await app.store.getRequest(id)) continue;
    const request: PromotionRequest = {
      id, revision: 1, model: w.model, version: w.version, sourceEnv: 'dev', targetEnv: 'prod',
      requester: { id: 'cli:carol', name: 'carol' }, state: 'awaiting_approval', approvals: [], minApprovals: 1,
      createdAt: at, updatedAt: at, remindersSent: 0, gate: 'ado',
      release: { kind: 'classic', id: w.releaseId, name: `Release-${w.releaseId}`, lastState: 'awaiting_approval' },
    };
    await app.store.createRequest(request, [{ action: 'promotion.requested', actor: 'cli:carol', requestId: id, model: w.model, env: 'prod', detail: { version: w.version } }], []);
  }
}

/** Requests per API. */
export function perApi(records: EmulatorRequestRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r.api] = (out[r.api] ?? 0) + 1;
  return out;
}
