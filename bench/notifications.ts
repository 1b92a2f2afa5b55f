/**
 * Notifications under a burst: 1,000 Azure ML failure events sent in batches over loopback HTTP to
 * the Event Grid intake (both schemas, some batches redelivered), routed to several channels, posted
 * through a fake chat that allows one message per channel per interval and answers faster posts with
 * a 429 carrying Retry-After. Prints intake rate, event-to-post latency, messages, digests,
 * duplicates and losses. Run: npx tsx bench/notifications.ts [--scale 10] [--events 1000] [--batch 20] [--bot-pace 1]
 */
import { every, type Loop } from '../src/app/background';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/adapters/store';
import { createEventGridHandler } from '../src/adapters/webhooks';
import type { CardMessage } from '../src/core/cards/views';
import { createNotifications } from '../src/core/notifications';
import { OutboxWorker } from '../src/core/outbox/worker';
import type { Chat, Logger, MessageRef } from '../src/core/ports';
import type { BotSettings } from '../src/core/settings';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SCALE = arg('scale', 10);
const EVENTS = arg('events', 1000);
const BATCH = arg('batch', 20);
/** <1 makes the bot's own pacing faster than the chat allows, to exercise the 429 path. */
const BOT_PACE = arg('bot-pace', 1);
const CONCURRENCY = 4;
const LIMIT_MS = 1000 / SCALE; // 1 message/s/channel, scaled
const DEADLINE_MS = 60_000;
const KEY = 'bench-key';

const silent: Logger = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => new Date() };

/** One message per channel per LIMIT_MS; faster posts get a 429 with the time left. */
class RateLimitedChat implements Chat {
  readonly last = new Map<string, number>();
  readonly posts: { channel: string; at: number; message: CardMessage }[] = [];
  refused = 0;
  async post(channel: string, message: CardMessage): Promise<MessageRef> {
    const now = performance.now();
    const wait = (this.last.get(channel) ?? -Infinity) + LIMIT_MS - now;
    if (wait > 0) { this.refused++; throw Object.assign(new Error('ratelimited'), { status: 429, retryAfterMs: Math.ceil(wait) }); }
    this.last.set(channel, now);
    this.posts.push({ channel, at: now, message });
    return { channel, messageId: String(this.posts.length) };
  }
  async update(): Promise<void> {}
}

function settings(): BotSettings {
  const ws = (name: string) => ({ subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: `rg-${name}`, name: `mlw-${name}` });
  const env = (name: string, alerts: string[]) => ({ name, workspace: ws(name), channels: { approvals: [], audit: [], notifications: alerts } });
  return { devops: { project: 'mlops-v2' }, source: 'dev', environments: [env('dev', ['slack:C0DEV']), env('prod', ['slack:C0ALERTS', 'teams:19:prod-alerts'])], promotionOrder: [], admins: [] };
}

function event(i: number, cfg: BotSettings): Record<string, unknown> {
  const env = i % 3 === 0 ? 'dev' : 'prod';
  const w = cfg.environments.find((e) => e.name === env)!.workspace;
  const topic = `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${w.name}`;
  const data = { experimentName: `taxi-${i % 7}`, runId: `run-${i}`, runStatus: i % 2 ? 'Failed' : 'FAILED', runTags: {}, runProperties: {} };
  const id = `bench-${i}`;
  return i % 2 === 0
    ? { id, topic, subject: `experiments/x/runs/run-${i}`, eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', eventTime: new Date().toISOString(), data, dataVersion: '', metadataVersion: '1' }
    : { id, source: topic, subject: `experiments/x/runs/run-${i}`, type: 'Microsoft.MachineLearningServices.RunStatusChanged', time: new Date().toISOString(), data, specversion: '1.0' };
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-'));
  const cfg = settings();
  const store = await openStore(`sqlite:${path.join(dir, 'bench.db')}`);
  const chat = new RateLimitedChat();
  const postedAt = new Map<string, number[]>(); // `${eventId}|${channel}` → post times
  let digests = 0;
  let singles = 0;
  let loop!: Loop;
  const n = createNotifications({
    store, chat, clock, log: silent, settings: cfg,
    options: { minIntervalMs: LIMIT_MS * BOT_PACE },
    onRecorded: () => loop.wake(),
    onPosted: (p) => {
      const at = performance.now();
      if (p.digest) digests++; else singles++;
      for (const id of p.eventIds) postedAt.set(`${id}|${p.channel}`, [...(postedAt.get(`${id}|${p.channel}`) ?? []), at]);
    },
  });
  await n.book.add({ id: 'failed-runs|*|', channel: 'slack:C0MLOPS', kind: 'failed-runs', filter: '', origin: 'command' });
  await n.book.add({ id: 'failed-runs|*|name:taxi-3', channel: 'slack:C0TAXI3', kind: 'failed-runs', filter: 'name:taxi-3', origin: 'command' });
  const worker = new OutboxWorker({ store, handlers: n.handlers, clock, log: silent, batchSize: 50, leaseMs: 30_000, maxAttempts: 50 });
  loop = every('outbox', Math.max(5, Math.round(LIMIT_MS / 5)), async () => { while ((await worker.runOnce()) >= 50); }, silent);

  const handler = createEventGridHandler({ key: KEY, router: n.router, settings: cfg, log: silent });
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/eventgrid?code=${KEY}`;

  // Expected deliveries: prod → C0ALERTS, teams prod; dev → C0DEV; all → C0MLOPS; taxi-3 → C0TAXI3.
  const sentAt = new Map<string, number>();
  const expected = new Set<string>();
  for (let i = 0; i < EVENTS; i++) {
    const id = `aml:runstatuschanged:bench-${i}`;
    const chans = i % 3 === 0 ? ['slack:C0DEV'] : ['slack:C0ALERTS', 'teams:19:prod-alerts'];
    chans.push('slack:C0MLOPS');
    if (i % 7 === 3) chans.push('slack:C0TAXI3');
    for (const c of chans) expected.add(`${id}|${c}`);
  }

  const batches: number[][] = [];
  for (let i = 0; i < EVENTS; i += BATCH) batches.push(Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => i + k));
  const redelivered = batches.filter((_, b) => b % 10 === 5); // Event Grid redelivers some batches
  const queue = [...batches, ...redelivered];
  let httpErrors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let b = queue.shift(); b; b = queue.shift()) {
      const cloud = b[0] % 2 === 1;
      const body = JSON.stringify(b.map((i) => event(i, cfg)));
      const at = performance.now();
      for (const i of b) if (!sentAt.has(`aml:runstatuschanged:bench-${i}`)) sentAt.set(`aml:runstatuschanged:bench-${i}`, at);
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': cloud ? 'application/cloudevents-batch+json' : 'application/json', 'aeg-event-type': 'Notification' } });
      if (res.status !== 200) httpErrors++;
      await res.arrayBuffer();
    }
  }));
  const intakeMs = performance.now() - t0;

  const deadline = performance.now() + DEADLINE_MS;
  while (performance.now() < deadline && [...expected].some((k) => !postedAt.has(k))) await new Promise((r) => setTimeout(r, 20));
  const doneMs = performance.now() - t0;
  await loop.stop();
  await new Promise<void>((r) => server.close(() => r()));

  const latencies: number[] = [];
  let duplicates = 0;
  for (const [k, times] of postedAt) {
    duplicates += times.length - 1;
    latencies.push(times[0] - sentAt.get(k.split('|')[0])!);
  }
  const lost = [...expected].filter((k) => !postedAt.has(k)).length;
  const unexpected = [...postedAt.keys()].filter((k) => !expected.has(k)).length;
  let fastest = Infinity;
  const byChannel = new Map<string, number[]>();
  for (const p of chat.posts) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p.at]);
  for (const times of byChannel.values()) for (let i = 1; i < times.length; i++) fastest = Math.min(fastest, times[i] - times[i - 1]);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const f = (ms: number) => `${ms.toFixed(0)} ms (= ${(ms * SCALE / 1000).toFixed(1)} s at 1 msg/s)`;
  console.log(`notifications bench — time scale ${SCALE}x: the fake chat allows 1 message per ${LIMIT_MS} ms per channel (1/s real-time), 429 + Retry-After otherwise; the bot paces itself at ${LIMIT_MS * BOT_PACE} ms; loopback HTTP, SQLite file store`);
  console.log(`events sent            ${EVENTS} in ${batches.length} batches of ${BATCH} (+${redelivered.length} batches redelivered), both schemas, ${CONCURRENCY} concurrent senders`);
  console.log(`intake                 ${(EVENTS / (intakeMs / 1000)).toFixed(0)} events/s accepted (${intakeMs.toFixed(0)} ms, ${httpErrors} non-200 answers)`);
  console.log(`deliveries expected    ${expected.size} (event × channel, ${byChannel.size} channels)`);
  console.log(`event→post latency     p50 ${f(pct(latencies, 50))}, p99 ${f(pct(latencies, 99))}`);
  console.log(`messages sent          ${chat.posts.length} (${singles} single cards, ${digests} digests); 429s answered by chat: ${chat.refused}`);
  console.log(`closest two posts      ${fastest.toFixed(0)} ms apart in one channel (limit ${LIMIT_MS} ms)`);
  console.log(`duplicates             ${duplicates}`);
  console.log(`lost                   ${lost}${unexpected ? ` (and ${unexpected} unexpected deliveries)` : ''}`);
  console.log(`all delivered after    ${doneMs.toFixed(0)} ms`);
  if (duplicates > 0 || lost > 0 || unexpected > 0) process.exitCode = 1;
}

void main().catch((e) => { console.error(e); process.exit(1); });
