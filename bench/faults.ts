/**
 * `npx tsx bench/faults.ts`: how the outbox recovers from upstream faults, today's policy against
 * the one it replaced (measured in the same run, same store, same handler):
 * - Azure DevOps down for a while during a release start: how long after the outage ends the
 *   release starts, or whether the step was given up — silently before, visibly (stalled, Retry) now.
 *   Simulated time on a real SQLite outbox: minutes of outage run in milliseconds.
 * - One hung channel: how long an unrelated effect (an Azure DevOps decision) waits behind it,
 *   with the worker running one effect at a time (before) and in lanes (now). Real time.
 */
import { openStore } from '../src/adapters/store';
import { OutboxWorker, type OutboxWorkerOptions } from '../src/core/outbox/worker';
import type { Logger } from '../src/core/ports';

const silent: Logger = { child: () => silent, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const BEFORE: Partial<OutboxWorkerOptions> = { maxAttempts: 8, backoff: { baseMs: 1000, maxMs: 5 * 60_000 }, giveUpAfterMs: Number.MAX_SAFE_INTEGER, concurrency: 1, laneOf: () => 'one' };
const NOW: Partial<OutboxWorkerOptions> = {};

interface OutageResult { recoveredAfterMs?: number; deadAfterMs?: number; reported: boolean; attempts: number }

/** A start_release effect whose upstream answers 503 for `outageMs`, run until it is done or dead. */
async function outage(outageMs: number, policy: Partial<OutboxWorkerOptions>, giveUpAt?: number): Promise<OutageResult> {
  let now = Date.parse('2026-12-01T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = await openStore('sqlite::memory:', { clock });
  const start = now;
  let reported = false;
  let attempts = 0;
  const worker = new OutboxWorker({
    store, clock, log: silent, ...policy,
    handlers: { start_release: async () => { attempts++; if (now - start < outageMs) throw new Error('Azure DevOps answered 503'); return { ok: true }; } },
    onDead: async () => { reported = true; },
  });
  await store.enqueueEffects([{ key: 'PR-1:start_release', kind: 'start_release', payload: { requestId: 'PR-1', ...(giveUpAt ? { giveUpAt: new Date(start + giveUpAt).toISOString() } : {}) } }]);
  for (let i = 0; i < 10_000; i++) {
    await worker.runOnce();
    const e = (await store.getEffect('PR-1:start_release'))!;
    if (e.status === 'done') { await store.close(); return { recoveredAfterMs: now - start - outageMs, reported, attempts }; }
    if (e.status === 'dead') { await store.close(); return { deadAfterMs: now - start, reported, attempts }; }
    now = Math.max(now + 1, Date.parse(e.nextAttemptAt));
  }
  await store.close();
  throw new Error('did not settle');
}

function outageLine(r: OutageResult, visible: boolean): string {
  if (r.recoveredAfterMs !== undefined) return `started ${fmt(r.recoveredAfterMs)} after the outage (${r.attempts} attempts)`;
  return `given up after ${fmt(r.deadAfterMs!)} — ${visible && r.reported ? 'stalled visibly, Retry on the card' : 'silently, request jammed'}`;
}

function fmt(ms: number): string {
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/** An effect for a hung channel and an Azure DevOps decision recorded after it: how long the decision waits. */
async function hungChannel(hangMs: number, policy: Partial<OutboxWorkerOptions>): Promise<number> {
  const clock = { now: () => new Date() };
  const store = await openStore('sqlite::memory:', { clock });
  let decidedAt = 0;
  const worker = new OutboxWorker({
    store, clock, log: silent, ...policy, effectTimeoutMs: 60_000,
    handlers: {
      post: async () => { await new Promise((r) => setTimeout(r, hangMs)); return {}; },
      ado_decide: async () => { decidedAt = Date.now(); return {}; },
    },
  });
  await store.enqueueEffects([
    { key: 'audit:1:slack:C0AUDIT', kind: 'post', payload: { channel: 'slack:C0AUDIT' } },
    { key: 'PR-2:ado_decide:approved', kind: 'ado_decide', payload: { requestId: 'PR-2' } },
  ]);
  const t0 = Date.now();
  await worker.runOnce();
  await store.close();
  return decidedAt - t0;
}

async function main(): Promise<void> {
  console.log('Azure DevOps outage during a release start (approval expiry 72 h)');
  console.log('outage    | before (8 attempts, backoff to 5 min)                  | now (deadline = approval expiry, backoff to 1 min)');
  for (const minutes of [0.5, 2.5, 10, 60]) {
    const before = await outage(minutes * 60_000, BEFORE);
    const now = await outage(minutes * 60_000, NOW, 72 * 3_600_000);
    console.log(`${`${minutes} min`.padEnd(9)} | ${outageLine(before, false).padEnd(54)} | ${outageLine(now, true)}`);
  }
  const noApproval = await outage(45 * 60_000, NOW);
  console.log(`45 min without an approval to wait for (30 min deadline): ${outageLine(noApproval, true)}`);

  console.log('\nOne channel hung for 3 s; an unrelated Azure DevOps decision recorded after its post');
  const before = await hungChannel(3000, BEFORE);
  const now = await hungChannel(3000, NOW);
  console.log(`decision waited: before ${fmt(before)}, now ${fmt(now)} (ratio ${(before / Math.max(1, now)).toFixed(0)}×)`);
}

void main();
