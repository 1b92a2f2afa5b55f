/**
 * Every command at fleet scale: the emulator grown to 200 models × 30 versions, 3 environments,
 * 500 jobs and 300 releases (bench/seed-scale.ts), the bot composed in-process against it through the
 * real SDK clients, each command run with 0 and 150 ms added to every upstream request. Prints per
 * command the requests per API, the longest chain of requests one after another, and the wall time;
 * the same for one pass of the release poller with 50 open requests.
 * Run: npx tsx bench/commands.ts [--latency 0,150] [--only models] [--show]
 *
 * Chain: request B follows A when B arrived after A was answered; the chain is the longest such
 * sequence (measured with latency added, where parallel requests overlap). Figures are for a warm
 * process (tokens, definition ids and the tracking URI already known), as in the server; the first
 * command of a fresh CLI process adds the token round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandCard } from '../src/cards/expand';
import { renderCardText } from '../src/cli/render-text';
import { pollReleases } from '../src/core/promotion/effects';
import type { EmulatorRequestRecord } from '../src/emulator';
import { perApi, seedOpenRequests, startFleetBot } from './fleet-bot';
import { FLEET, growEmulatorState, type GrownEstate } from './seed-scale';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const LATENCIES = (arg('latency') ?? '0,150').split(',').map(Number);
const ONLY = arg('only');
const SHOW = process.argv.includes('--show');

export const COMMANDS = [
  'help', 'models', 'models model-1', 'models --page 3', 'models --env prod', 'model model-042', 'model modle-042',
  'compare model-042', 'compare model-042 1 5 10 15 20 25 30', 'compare modle-042', 'promote model-042 preprod --dry-run',
  'promote model-042 preprod --version 3 --dry-run', 'requests', 'releases', 'releases model-042', 'releases --page 2', 'runs',
  'runs --failed --since 7d', 'audit', 'audit verify', 'whoami', 'schedule list', 'schedule show taxi-batch-nightly --env prod',
  'subscriptions', 'help models', 'whereis model-042', 'whereis taxi-model', 'endpoints', 'endpoints --env prod', 'rollouts',
  // These two start something (a rollback, a progressive rollout, each waiting for approval): last, and not run again fresh.
  'rollback taxi-model preprod', 'rollout taxi-model prod',
];

export interface Measured { requests: Record<string, number>; total: number; chain: number; ms: number; cpuMs?: number; status?: string }

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

function summarise(records: EmulatorRequestRecord[], ms: number, status?: string, cpuMs?: number): Measured {
  return { requests: perApi(records), total: records.length, chain: longestChain(records), ms, ...(cpuMs === undefined ? {} : { cpuMs }), ...(status ? { status } : {}) };
}

/** Commands that draw a chart: measured fresh once more with the chart worker started only on the chart (the baseline). */
const CHARTED = /^(model|compare) /;

/**
 * Commands measured once more as the first command of a fresh process (the CLI: nothing cached but
 * the store): every command that reads Azure and changes nothing.
 */
export const FRESH = COMMANDS.filter((c) => !/^(help|requests|audit|whoami|subscriptions|rollback |rollout )/.test(c));

export async function measureFleet(latencyMs: number, dir: string, estate: GrownEstate, commands = COMMANDS): Promise<{ commands: [string, Measured][]; fresh: [string, Measured][]; unwarmed: Map<string, Measured>; poller: Measured }> {
  const bot = await startFleetBot(dir, latencyMs);
  try {
    await seedOpenRequests(bot.app, estate);
    const run = async (text: string): Promise<Measured> => {
      const { outcome, records, ms } = await bot.run(text);
      if (SHOW) process.stdout.write(`\n> ${text}\n${renderCardText(expandCard(outcome.reply))}\n`);
      return summarise(records, ms, outcome.status);
    };
    // Warm the process as a running server is: token, definition id, tracking URI, catalogue.
    await run('model model-000');
    await run('releases');
    await bot.app.refreshCatalogue();
    const out: [string, Measured][] = [];
    for (const text of commands) out.push([text, await run(text)]);
    const polled = await bot.measure(() => pollReleases({ service: bot.app.service, store: bot.app.store, releases: bot.app.ports.releases }));
    const fresh: [string, Measured][] = [];
    const unwarmed = new Map<string, Measured>();
    for (const text of ONLY ? FRESH.filter((c) => c.startsWith(ONLY)) : FRESH) {
      if (CHARTED.test(text)) {
        const base = await bot.run(text, { fresh: true, unwarmed: true });
        unwarmed.set(text, summarise(base.records, base.ms, base.outcome.status, base.cpuMs));
      }
      const { outcome, records, ms, cpuMs } = await bot.run(text, { fresh: true });
      fresh.push([text, summarise(records, ms, outcome.status, cpuMs)]);
    }
    return { commands: out, fresh, unwarmed, poller: summarise(polled.records, polled.ms) };
  } finally {
    await bot.close();
  }
}

function row(name: string, m: Measured, latency: number): string {
  const apis = Object.entries(m.requests).sort().map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  const chain = latency > 0 ? String(m.chain) : '–';
  const cpu = m.cpuMs === undefined ? '' : `  (CPU ${m.cpuMs.toFixed(0)} ms, all threads)`;
  return `${name.padEnd(50)} ${String(latency).padStart(4)} ms  ${String(m.total).padStart(4)} req  chain ${chain.padStart(3)}  ${m.ms.toFixed(0).padStart(6)} ms  ${(m.status ?? '').padEnd(9)} ${apis}${cpu}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-commands-'));
  try {
    const t0 = performance.now();
    const estate = growEmulatorState(join(dir, 'emulator'), FLEET);
    process.stdout.write(`Fleet: ${FLEET.models} models × ${FLEET.versions} versions, ${FLEET.jobs} jobs, ${FLEET.releases} releases, ${estate.waiting.length} open requests (seeded in ${(performance.now() - t0).toFixed(0)} ms)\n`);
    process.stdout.write(`${'command'.padEnd(50)} added  requests  chain      wall  outcome   per API\n`);
    const worst = { chain: 0, ms: 0, freshChain: 0, freshMs: 0 };
    for (const latency of LATENCIES) {
      const commands = ONLY ? COMMANDS.filter((c) => c.startsWith(ONLY)) : COMMANDS;
      const result = await measureFleet(latency, dir, estate, commands);
      for (const [text, m] of result.commands) {
        process.stdout.write(`${row(text, m, latency)}\n`);
        if (latency > 0) { worst.chain = Math.max(worst.chain, m.chain); worst.ms = Math.max(worst.ms, m.ms); }
      }
      process.stdout.write(`${row(`release poller (${estate.waiting.length} open requests)`, result.poller, latency)}\n`);
      for (const [text, m] of result.fresh) {
        const base = result.unwarmed.get(text);
        if (base) process.stdout.write(`${row(`fresh, worker on the chart: ${text}`, base, latency)}  [baseline]\n`);
        process.stdout.write(`${row(`fresh process: ${text}`, m, latency)}${base ? `  ${(m.ms / base.ms).toFixed(2)}× baseline wall` : ''}\n`);
        if (latency > 0) { worst.freshChain = Math.max(worst.freshChain, m.chain); worst.freshMs = Math.max(worst.freshMs, m.ms); }
      }
    }
    process.stdout.write(`Longest chain of any command: ${worst.chain} (contract: ≤ 3); slowest command at ${LATENCIES.at(-1)} ms/request: ${worst.ms.toFixed(0)} ms (target ≤ 1000 ms)\n`);
    process.stdout.write(`First command of a fresh process (token and lookups not cached yet): longest chain ${worst.freshChain}, slowest ${worst.freshMs.toFixed(0)} ms\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exitCode = 1; });
