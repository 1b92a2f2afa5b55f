/**
 * A bot's notification intake on a bare HTTP server over a real SQLite file, with the outbox
 * worker driven by hand on a fake clock; `restart()` is a new process on the same database.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/adapters/store';
import { createAzureDevOpsHandler, createEventGridHandler } from '../../src/adapters/webhooks';
import { createNotifications, type Notifications, type PostedInfo } from '../../src/core/notifications';
import type { OutboxWorker } from '../../src/core/outbox/worker';
import type { Store } from '../../src/core/ports';
import type { BotSettings } from '../../src/core/settings';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { drain, makeWorker, notificationSettings } from '../unit/notifications-support';

export const EVENTGRID_KEY = 'eg-key-3c1d9a7e';
export const HOOK_USER = 'ado-hooks';
export const HOOK_PASSWORD = 'hook-pass-71f0b2';

export interface Instance {
  url: string;
  store: Store;
  notifications: Notifications;
  worker: OutboxWorker;
  stop(): Promise<void>;
}

export class Harness {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-webhooks-'));
  readonly file = path.join(this.dir, 'bot.db');
  readonly clock = new FakeClock();
  readonly chat = new FakeChat();
  readonly log = new CapturingLogger();
  readonly posted: PostedInfo[] = [];
  settings: BotSettings = notificationSettings();
  current!: Instance;

  async start(opts: { maxBodyBytes?: number } = {}): Promise<Instance> {
    const store = await openStore(`sqlite:${this.file}`, { clock: this.clock });
    const notifications = createNotifications({ store, chat: this.chat, clock: this.clock, log: this.log, settings: this.settings, onPosted: (p) => this.posted.push(p) });
    const eventGrid = createEventGridHandler({ key: EVENTGRID_KEY, router: notifications.router, settings: this.settings, log: this.log, maxBodyBytes: opts.maxBodyBytes });
    const devops = createAzureDevOpsHandler({ user: HOOK_USER, password: HOOK_PASSWORD, router: notifications.router, settings: this.settings, log: this.log, maxBodyBytes: opts.maxBodyBytes });
    const server = http.createServer((req, res) => {
      const route = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (route === '/api/events/eventgrid') void eventGrid(req, res);
      else if (route === '/api/events/azure-devops') void devops(req, res);
      else { res.writeHead(404); res.end(); }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const worker = makeWorker(store, notifications.handlers, this.clock, this.log);
    this.current = {
      url, store, notifications, worker,
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close().catch(() => undefined);
      },
    };
    return this.current;
  }

  /** The process dies and a new one starts on the same database (memory lost, rows kept). */
  async restart(): Promise<Instance> {
    await this.current.stop();
    return this.start();
  }

  drain(): Promise<void> {
    return drain(this.current.worker, this.clock);
  }

  eventGrid(body: unknown, opts: { code?: string | null; contentType?: string; headers?: Record<string, string>; method?: string } = {}): Promise<Response> {
    const code = opts.code === undefined ? EVENTGRID_KEY : opts.code;
    const q = code === null ? '' : `?code=${encodeURIComponent(code)}`;
    return fetch(`${this.current.url}/api/events/eventgrid${q}`, {
      method: opts.method ?? 'POST',
      headers: { 'content-type': opts.contentType ?? 'application/json', 'aeg-event-type': 'Notification', ...opts.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  serviceHook(body: unknown, auth: { user: string; password: string } | null = { user: HOOK_USER, password: HOOK_PASSWORD }): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    return fetch(`${this.current.url}/api/events/azure-devops`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  /** Row counts read under the API: proof that a refused request changed nothing. */
  rows(): { effects: number; seen: number } {
    const db = new Database(this.file, { readonly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { effects: count('effects'), seen: count('seen_keys') };
    } finally {
      db.close();
    }
  }

  /** Event ids delivered to a channel, one entry per delivery (individual card or digest line). */
  delivered(channel: string): string[] {
    return this.posted.filter((p) => p.channel === channel).flatMap((p) => p.eventIds).sort();
  }

  async dispose(): Promise<void> {
    await this.current?.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
