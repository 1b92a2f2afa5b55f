/**
 * Slack ack latency: the bot's `/mlops` path against a bare Bolt app that only acks, in one process,
 * on loopback, each under 50 concurrent signed slash commands, with a backend that takes 500 ms to
 * answer (the bot must ack before it, then deliver through the response_url).
 *
 *   npx tsx bench/slack-ack.ts [requestsPerSide=2000] [concurrency=50]
 *
 * The Slack side (the load generator signing requests, and the fake Web API receiving auth.test and
 * the response_url posts) runs in a worker thread, so the main thread holds only the two apps, as a
 * server would. After a warm-up, four rounds per side alternate (ABBA BAAB) so drift on a shared
 * machine hits both alike; the bot's deliveries of a round finish before the next round starts.
 * Targets (DESIGN §8): bot p99 ≤ 1.5 × bare p99, bot throughput ≥ 0.7 × bare, every ack < 3 s.
 */
import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { createSlackSurface } from '../src/adapters/slack';
import { openStore } from '../src/adapters/store';
import type { BotCore } from '../src/app/surface';
import { card } from '../src/core/cards/views';
import type { BotSettings } from '../src/core/settings';
import { startHttpServer } from '../src/http';
import { silentLogger } from '../src/logging';
import { FakeSlackApi, FORM, sign } from '../test/support/fake-slack-api';

const TOTAL = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const BACKEND_MS = 500;
const WARM_UP = 1000;
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';

interface Sample { ms: number; status: number }

async function main(): Promise<void> {
  const slack = await slackSide();
  const bare = await bareApp(slack.apiUrl);
  const bot = await botApp(slack.apiUrl);
  console.log(`slack ack bench: ${TOTAL} requests per side, ${CONCURRENCY} concurrent, backend ${BACKEND_MS} ms, node ${process.version}`);

  // Warm-up, not measured: both paths get JIT-compiled, sockets pooled, SQLite pages cached.
  for (const url of [bare.url, bot.url, bare.url, bot.url]) await slack.load(url, WARM_UP / 2);
  await bot.idle();
  const perRound = Math.ceil(TOTAL / 4);
  const runs = { bare: [] as Run[], bot: [] as Run[] };
  for (const side of ['bare', 'bot', 'bot', 'bare', 'bot', 'bare', 'bare', 'bot'] as const) {
    runs[side].push(await slack.load(side === 'bare' ? bare.url : bot.url, perRound));
    if (side === 'bot') await bot.idle();
  }
  const delivered = await slack.responses();

  const b = summarise(runs.bare);
  const o = summarise(runs.bot);
  const row = (name: string, s: Summary) =>
    `${name.padEnd(22)} ${String(s.count).padStart(6)} ${s.rps.toFixed(0).padStart(9)} ${s.p50.toFixed(2).padStart(9)} ${s.p99.toFixed(2).padStart(9)} ${s.max.toFixed(2).padStart(9)} ${String(s.errors).padStart(7)}`;
  console.log(`${'side'.padEnd(22)} ${'acks'.padStart(6)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)} ${'non-200'.padStart(7)}`);
  console.log(row('bare Bolt (ack only)', b));
  console.log(row('bot /mlops path', o));
  const p99Ratio = o.p99 / b.p99;
  const rpsRatio = o.rps / b.rps;
  console.log(`p99 ratio bot/bare: ${p99Ratio.toFixed(2)} (target ≤ 1.5) ${p99Ratio <= 1.5 ? 'OK' : 'MISSED'}`);
  console.log(`throughput ratio bot/bare: ${rpsRatio.toFixed(2)} (target ≥ 0.7) ${rpsRatio >= 0.7 ? 'OK' : 'MISSED'}`);
  const perRoundP99 = (rs: Run[]) => rs.map((r) => summarise([r]).p99.toFixed(0)).join(' / ');
  console.log(`p99 per round (ms): bare ${perRoundP99(runs.bare)}; bot ${perRoundP99(runs.bot)}`);
  console.log(`slowest ack: ${Math.max(b.max, o.max).toFixed(1)} ms (Slack allows 3000) ${Math.max(b.max, o.max) < 3000 ? 'OK' : 'MISSED'}`);
  console.log(`bot answers delivered through response_url after the ${BACKEND_MS} ms backend: ${delivered} of ${WARM_UP + perRound * 4}`);

  await bot.close();
  await bare.close();
  await slack.close();
}

// ——— the two sides ———

async function bareApp(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new App({ token: TOKEN, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } } });
  app.command('/mlops', async ({ ack }) => { await ack(); });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, close: async () => { await app.stop(); } };
}

async function botApp(apiUrl: string): Promise<{ url: string; idle(): Promise<void>; close(): Promise<void> }> {
  const store = await openStore('sqlite::memory:');
  const slowCore: BotCore = {
    settings: {} as BotSettings,
    store,
    log: silentLogger,
    async handle(inv) {
      await new Promise((r) => setTimeout(r, BACKEND_MS));
      return { status: 'ok', visibility: 'private', reply: card('notice', { title: 'Done', text: `ran ${inv.text}`, tone: 'good' }) };
    },
    async act() { throw new Error('not used by this bench'); },
    kick: () => undefined,
  };
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger });
  const surface = createSlackSurface({ core: slowCore, log: silentLogger, config: { botToken: TOKEN, signingSecret: SECRET, mode: 'http', apiUrl, webApiRetries: 0 } });
  surface.mount(server);
  await surface.start();
  return {
    url: `${server.url}/slack/events`,
    idle: () => surface.idle(),
    async close() {
      await surface.stop();
      await server.close();
      await store.close();
    },
  };
}

// ——— the Slack side, in a worker thread ———

interface Run { ms: number[]; statuses: number[]; seconds: number }
interface Summary { count: number; rps: number; p50: number; p99: number; max: number; errors: number }
type ToWorker = { kind: 'load'; url: string; count: number } | { kind: 'responses' } | { kind: 'close' };

async function slackSide() {
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true });
  const replies: ((v: unknown) => void)[] = [];
  worker.on('message', (m: unknown) => replies.shift()?.(m));
  worker.on('error', (e) => { console.error(e); process.exit(1); });
  const ask = <T>(msg?: ToWorker): Promise<T> => new Promise<T>((resolve) => {
    replies.push(resolve as (v: unknown) => void);
    if (msg) worker.postMessage(msg);
  });
  const apiUrl = await ask<string>();
  return {
    apiUrl,
    load: (url: string, count: number) => ask<Run>({ kind: 'load', url, count }),
    responses: () => ask<number>({ kind: 'responses' }),
    close: async () => { await ask({ kind: 'close' }); await worker.terminate(); },
  };
}

async function slackWorker(): Promise<void> {
  const api = await new FakeSlackApi().start();
  const port = parentPort!;
  port.on('message', (msg: ToWorker) => {
    if (msg.kind === 'load') void load(msg.url, msg.count, api).then((run) => port.postMessage(run));
    if (msg.kind === 'responses') port.postMessage(api.responses.length);
    if (msg.kind === 'close') void api.close().then(() => port.postMessage('closed'));
  });
  port.postMessage(api.apiUrl);
}

let seq = 0;

async function load(url: string, count: number, api: FakeSlackApi): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const run: Run = { ms: [], statuses: [], seconds: 0 };
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const id = `bench-${++seq}`;
      const body = new URLSearchParams({
        token: 'x', team_id: 'T0TEAM', team_domain: 'contoso', channel_id: 'C0BENCH', channel_name: 'bench', user_id: 'U0BENCH', user_name: 'bench',
        command: '/mlops', text: 'models', api_app_id: 'A0MLOPS', response_url: api.responseUrl(id), trigger_id: id,
      }).toString();
      const sample = await post(url, body, agent);
      run.ms.push(sample.ms);
      run.statuses.push(sample.status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  run.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return run;
}

function post(url: string, body: string, agent: Agent): Promise<Sample> {
  const ts = Math.floor(Date.now() / 1000);
  const headers = { 'content-type': FORM, 'content-length': String(Buffer.byteLength(body)), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SECRET, ts, body) };
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function summarise(runs: Run[]): Summary {
  const ms = runs.flatMap((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  return { count: ms.length, rps: ms.length / seconds, p50: pct(50), p99: pct(99), max: ms[ms.length - 1], errors: runs.flatMap((r) => r.statuses).filter((s) => s !== 200).length };
}

(isMainThread ? main() : slackWorker()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
