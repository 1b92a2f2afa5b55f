/**
 * Every command at fleet scale: the emulator grown to 200 models × 30 versions, 3 environments,
 * 500 jobs and 300 releases (bench/seed-scale.ts), the bot composed in-process against it through the
 * real SDK clients, each command run with 0 and 150 ms added to every upstream request. Prints per
 * command the requests per API, the longest chain of requests one after another, and the wall time;
 * the same for one pass of the release poller with 50 open requests.
 * Run: npx tsx bench/commands.ts [--latency 0,150] [--only models]
 *
 * Chain: request B follows A when B arrived after A was answered; the chain is the longest such
 * sequence (measured with latency added, where parallel requests overlap). Figures are for a warm
 * process (tokens, definition ids and the tracking URI already known), as in the server; the first
 * command of a fresh CLI process adds the token round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp, type ComposedApp } from '../src/app/compose';
import { demoSettings } from '../src/config/demo-config';
import { parseRuntimeEnv } from '../src/config';
import type { Logger } from '../src/core/ports';
import { pollReleases } from '../src/core/promotion/effects';
import type { PromotionRequest } from '../src/core/promotion/types';
import { SEED_TENANT_ID, startEmulator, type EmulatorRequestRecord } from '../src/emulator';
import { FLEET, growEmulatorState, type GrownEstate } from './seed-scale';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const LATENCIES = (arg('latency') ?? '0,150').split(',').map(Number);
const ONLY = arg('only');

export const COMMANDS = [
  'help', 'models', 'models model-1', 'models --page 3', 'models --env prod', 'model model-042', 'model modle-042',
  'compare model-042', 'compare model-042 1 5 10 15 20 25 30', 'compare modle-042', 'promote model-042 preprod --dry-run',
  'requests', 'releases', 'releases model-042', 'runs', 'runs --failed --since 7d', 'audit', 'whoami', 'schedule list', 'subscriptions',
];

const silent: Logger = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };

export interface Measured { requests: Record<string, number>; total: number; chain: number; ms: number; status?: string }

/** Longest sequence of requests each arriving after the previous one was answered. */
export function longestChain(records: EmulatorRequestRecord[]): number {
  const sorted = [...records].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  let best = 0;
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.endedAt <= r.startedAt && depth[j]! + 1 > d) d = depth[j]! + 1;
    depth[i] = d;
    best = Math.max(best, d);
  });
  return best;
}

function summarise(records: EmulatorRequestRecord[], ms: number, status?: string): Measured {
  const requests: Record<string, number> = {};
  for (const r of records) requests[r.api] = (requests[r.api] ?? 0) + 1;
  return { requests, total: records.length, chain: longestChain(records), ms, ...(status ? { status } : {}) };
}

/** Open promotion requests whose releases wait at the prod approval. */
async function seedOpenRequests(app: ComposedApp, estate: GrownEstate): Promise<void> {
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

export async function measureFleet(latencyMs: number, dir: string, estate: GrownEstate, commands = COMMANDS): Promise<{ commands: [string, Measured][]; poller: Measured }> {
  let records: EmulatorRequestRecord[] = [];
  const emulator = await startEmulator({ dataDir: join(dir, 'emulator'), log: silent, autoTick: false, latencyMs, onRequest: (r) => records.push(r) });
  const runtime = parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}`, LOG_LEVEL: 'error' });
  const loaded = { runtime, settings: demoSettings(), mode: 'demo' as const };
  const azure = {
    armEndpoint: emulator.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emulator.devopsUrl,
    identityEndpoint: emulator.identityEndpoint, identityHeader: emulator.identityHeader, ca: emulator.ca, graphEndpoint: emulator.armUrl, tenantId: SEED_TENANT_ID,
  };
  const app = await composeApp({ loaded, log: silent, azure, timing: { jobPollMs: 0 } });
  try {
    await seedOpenRequests(app, estate);
    const run = async (text: string): Promise<Measured> => {
      records = [];
      const t0 = performance.now();
      const outcome = await app.core.handle({ text, caller: { id: 'cli:admin', platform: 'cli', displayName: 'admin' }, channel: 'cli:bench', correlationId: 'bench' });
      const ms = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 5));
      return summarise(records, ms, outcome.status);
    };
    // Warm the process as a running server is: token, definition id, tracking URI, catalogue.
    await run('model model-000');
    await run('releases');
    await app.runBackgroundOnce?.();
    const out: [string, Measured][] = [];
    for (const text of commands) out.push([text, await run(text)]);
    records = [];
    const t0 = performance.now();
    await pollReleases({ service: app.service, store: app.store, releases: app.ports.releases });
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
    return { commands: out, poller: summarise(records, ms) };
  } finally {
    await app.close();
    await emulator.close();
  }
}

function row(name: string, m: Measured, latency: number): string {
  const apis = Object.entries(m.requests).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  const chain = latency > 0 ? String(m.chain) : '–';
  return `${name.padEnd(42)} ${String(latency).padStart(4)} ms  ${String(m.total).padStart(4)} req  chain ${chain.padStart(3)}  ${m.ms.toFixed(0).padStart(6)} ms  ${(m.status ?? '').padEnd(9)} ${apis}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-commands-'));
  try {
    const t0 = performance.now();
    const estate = growEmulatorState(join(dir, 'emulator'), FLEET);
    process.stdout.write(`Fleet: ${FLEET.models} models × ${FLEET.versions} versions, ${FLEET.jobs} jobs, ${FLEET.releases} releases, ${estate.waiting.length} open requests (seeded in ${(performance.now() - t0).toFixed(0)} ms)\n`);
    process.stdout.write(`${'command'.padEnd(42)} added  requests  chain      wall  outcome   per API\n`);
    const worst = { chain: 0, ms: 0 };
    for (const latency of LATENCIES) {
      const commands = ONLY ? COMMANDS.filter((c) => c.startsWith(ONLY)) : COMMANDS;
      const result = await measureFleet(latency, dir, estate, commands);
      for (const [text, m] of result.commands) {
        process.stdout.write(`${row(text, m, latency)}\n`);
        if (latency > 0) { worst.chain = Math.max(worst.chain, m.chain); worst.ms = Math.max(worst.ms, m.ms); }
      }
      process.stdout.write(`${row(`release poller (${estate.waiting.length} open requests)`, result.poller, latency)}\n`);
    }
    process.stdout.write(`Longest chain of any command: ${worst.chain} (contract: ≤ 3); slowest command at ${LATENCIES.at(-1)} ms/request: ${worst.ms.toFixed(0)} ms (target ≤ 1000 ms)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exitCode = 1; });
