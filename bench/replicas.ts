/**
 * Replicas on one PostgreSQL (DESIGN §9.9): throughput of Slack commands and of Event Grid events
 * with 1, 2 and 3 bot processes behind the local Azure emulator and the fake Slack Web API, and how
 * long the fleet goes without a leader after the leader is killed with SIGKILL. One replica is the
 * baseline; the ratios say what adding replicas buys on this machine (all processes share its
 * cores, so a CPU-bound figure cannot scale past them).
 * Run: npx tsx bench/replicas.ts [--commands 60] [--events 60] [--concurrency 12] [--lease 15s]
 * Needs PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, FLEET_HOOKS, startFleet, type Fleet } from '../test/support/replica-fleet';
import { pgReachable } from '../test/support/store';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const COMMANDS = Number(arg('commands', '60'));
const EVENTS = Number(arg('events', '60'));
const CONCURRENCY = Number(arg('concurrency', '12'));
const LEASE = arg('lease', '15s');
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `n` jobs with at most `limit` at once; returns the elapsed seconds. */
async function timed(n: number, limit: number, job: (i: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await job(next++);
  }));
  return (Date.now() - started) / 1000;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Commands round-robin over the replicas; done when the command's answer reached its response_url. */
async function commandThroughput(fleet: Fleet, round: number): Promise<number> {
  const ids = Array.from({ length: COMMANDS }, (_, i) => `bench-${round}-${i}`);
  return timed(COMMANDS, CONCURRENCY, async (i) => {
    const ack = await fleet.command(i % fleet.bots.length, 'U0CAROL', 'requests', { responseId: ids[i] });
    if (ack.status !== 200) throw new Error(`command answered ${ack.status}`);
    await waitFor(`answer ${ids[i]}`, () => fleet.slack.responsesTo(ids[i]).length > 0, 60_000);
  });
}

function failedRun(fleet: Fleet, id: string): Record<string, unknown> {
  const [sample] = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'eventgrid', 'ml-RunStatusChanged.eventgridschema.json'), 'utf8')) as Record<string, any>[];
  return {
    ...sample, id, subject: `experiments/${sample.data.experimentId}/runs/${id}`,
    topic: `/subscriptions/${fleet.emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001prod`,
    data: { ...sample.data, runId: id, runStatus: 'Failed' },
  };
}

/** Events round-robin over the replicas: intake seconds, then seconds until every delivery is done. */
async function eventThroughput(fleet: Fleet, round: number): Promise<{ intake: number; delivered: number; posts: number }> {
  const postsBefore = fleet.slack.inChannel(CHANNELS.alerts).length;
  const started = Date.now();
  const intake = await timed(EVENTS, CONCURRENCY, async (i) => {
    const bot = fleet.bots[i % fleet.bots.length];
    const res = await fetch(`${bot.url}/api/events/eventgrid?code=${FLEET_HOOKS.eventGridKey}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify([failedRun(fleet, `bench-run-${round}-${i}`)]),
    });
    if (res.status !== 200) throw new Error(`Event Grid intake answered ${res.status}`);
  });
  await waitFor('every delivery', async () => {
    const s = await fleet.store.stats(new Date());
    return s.outbox.pending + s.outbox.running === 0;
  }, 120_000);
  return { intake, delivered: (Date.now() - started) / 1000, posts: fleet.slack.inChannel(CHANNELS.alerts).length - postsBefore };
}

async function failover(fleet: Fleet): Promise<number> {
  let leader: number | undefined;
  await waitFor('a leader', async () => (leader = await fleet.leader()) !== undefined, 60_000);
  fleet.bots[leader!].kill9();
  const killed = Date.now();
  await waitFor('a new leader', async () => { const l = await fleet.leader(); return l !== undefined && l !== leader; }, 120_000);
  return (Date.now() - killed) / 1000;
}

export async function runReplicasBench(): Promise<void> {
  console.log(`replicas bench: ${COMMANDS} commands and ${EVENTS} events per fleet, ${CONCURRENCY} at once, lease ${LEASE}; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  const rows: { n: number; cmds: number; intake: number; e2e: number; posts: number }[] = [];
  let failoverSeconds = NaN;
  for (const n of [1, 2, 3]) {
    const fleet = await startFleet({ pgUrl: PG_URL, replicas: n, leaseTtl: LEASE, effectLease: '60s' });
    try {
      await commandThroughput(fleet, 0); // warm-up: first requests compile and connect
      const cmdSeconds = await commandThroughput(fleet, 1);
      const ev = await eventThroughput(fleet, n);
      rows.push({ n, cmds: COMMANDS / cmdSeconds, intake: EVENTS / ev.intake, e2e: ev.delivered, posts: ev.posts });
      if (n === 3) failoverSeconds = await failover(fleet);
    } finally {
      await fleet.close();
    }
  }
  const base = rows[0];
  console.log('replicas | commands/s (ratio) | events intake/s (ratio) | events delivered in s (chat posts, paced 1/s)');
  for (const r of rows) {
    console.log(`${r.n}        | ${r.cmds.toFixed(1).padStart(6)} (${(r.cmds / base.cmds).toFixed(2)}x)   | ${r.intake.toFixed(1).padStart(6)} (${(r.intake / base.intake).toFixed(2)}x)        | ${r.e2e.toFixed(1)} (${r.posts} posts)`);
  }
  console.log(`leader failover after kill -9 (lease ${LEASE}): ${failoverSeconds.toFixed(1)} s without a leader (bound: the lease plus a third of it)`);
}

if (require.main === module) {
  const reach = pgReachable(PG_URL);
  if (!reach.ok) {
    console.log(`replicas bench skipped: PostgreSQL not reachable (${reach.reason}); set TEST_DATABASE_URL`);
    process.exit(0);
  }
  runReplicasBench().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
}
