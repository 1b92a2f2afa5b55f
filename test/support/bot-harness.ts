/**
 * Transcript-style tests: a bot wired to the fakes, `testSettings()` and a real SQLite store, and
 * `say(user, text)` returning the outcome, so a test reads like the chat it stands for.
 */
import { openStore } from '../../src/adapters/store';
import type { AuditEntry } from '../../src/core/audit/types';
import { allCommands } from '../../src/core/commands/all';
import { dispatch } from '../../src/core/commands/dispatch';
import { CommandRegistry, type CommandDeclaration } from '../../src/core/commands/registry';
import type { Outcome, Ports } from '../../src/core/commands/types';
import type { Caller } from '../../src/core/identity';
import type { ChartRenderer, Store } from '../../src/core/ports';
import type { BotSettings } from '../../src/core/settings';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { FakeAccountLinks } from '../fakes/account-links';
import { FakeDirectory } from '../fakes/directory';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';

/** The cast of `testSettings()`: an admin, two approvers (one by email), and people with no role. */
export const USERS: Record<string, { name: string; email?: string }> = {
  'slack:U0ADMIN': { name: 'Ada Admin' },
  'slack:U0ALICE': { name: 'Alice' },
  'slack:U0CAROL': { name: 'Carol', email: 'carol@contoso.com' },
  'slack:U0DAVE': { name: 'Dave' },
  'teams:29:erin': { name: 'Erin' },
};

export interface PortCall { port: keyof Ports; method: string }

/** Methods that change something outside the bot or in its store. */
const WRITES = new Set([
  'registry.tagVersion', 'releases.start', 'releases.decide', 'schedules.upsert', 'schedules.setEnabled', 'schedules.delete',
  'identityAdmin.ensureServicePrincipal', 'chat.post', 'chat.update', 'store.createRequest', 'store.commitTransition',
  'store.appendAudit', 'store.enqueueEffects', 'store.claimEffects', 'store.completeEffect', 'store.failEffect',
  'store.markSeen', 'store.putDoc', 'store.deleteDoc',
]);

export interface BotHarness {
  say(asUserId: string, text: string, opts?: { channel?: string }): Promise<Outcome>;
  settings: BotSettings;
  registry: FakeRegistry;
  releases: FakeReleases;
  schedules: FakeSchedules;
  identityAdmin: FakeIdentityAdmin;
  directory: FakeDirectory;
  chat: FakeChat;
  clock: FakeClock;
  store: Store;
  log: CapturingLogger;
  commands: CommandRegistry;
  /** Every port call made through `say`, in order. */
  calls: PortCall[];
  writes(): string[];
  audit(): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  settings?: BotSettings;
  commands?: readonly CommandDeclaration[];
  /** Injected store; default a fresh `sqlite::memory:` one. */
  store?: Store;
  directory?: FakeDirectory;
  /** Injected fakes (e.g. a subclass that fails part-way); default fresh ones. */
  schedules?: FakeSchedules;
  identityAdmin?: FakeIdentityAdmin;
  accountLinks?: FakeAccountLinks;
  /** A chart renderer; default none (cards go without pictures). */
  charts?: ChartRenderer;
}

export async function createBot(opts: HarnessOptions = {}): Promise<BotHarness> {
  const clock = new FakeClock();
  const settings = opts.settings ?? testSettings();
  const store = opts.store ?? (await openStore('sqlite::memory:', { clock }));
  const directory = opts.directory ?? new FakeDirectory(Object.fromEntries(Object.entries(USERS).filter(([, u]) => u.email).map(([id, u]) => [id, u.email!])));
  const fakes = {
    registry: new FakeRegistry(), releases: new FakeReleases(), schedules: opts.schedules ?? new FakeSchedules(),
    identityAdmin: opts.identityAdmin ?? new FakeIdentityAdmin(), directory, chat: new FakeChat(),
  };
  const calls: PortCall[] = [];
  const ports: Ports = {
    registry: recording('registry', fakes.registry, calls),
    releases: recording('releases', fakes.releases, calls),
    schedules: recording('schedules', fakes.schedules, calls),
    identityAdmin: recording('identityAdmin', fakes.identityAdmin, calls),
    directory: recording('directory', directory, calls),
    store: recording('store', store, calls),
    chat: recording('chat', fakes.chat, calls),
    clock,
    ...(opts.accountLinks ? { accountLinks: opts.accountLinks } : {}),
    ...(opts.charts ? { charts: recording('charts', opts.charts, calls) } : {}),
  };
  const log = new CapturingLogger();
  const commands = new CommandRegistry(opts.commands ?? allCommands);
  let seq = 0;
  return {
    ...fakes, settings, clock, store, log, commands, calls,
    async say(asUserId, text, sayOpts = {}) {
      const user = USERS[asUserId] ?? { name: asUserId };
      const caller: Caller = { id: asUserId, platform: asUserId.startsWith('teams:') ? 'teams' : 'slack', displayName: user.name };
      const invocation = { text, caller, channel: sayOpts.channel ?? 'slack:C0GENERAL', correlationId: `corr-${++seq}` };
      return dispatch(invocation, { settings, ports, log, commands });
    },
    writes: () => calls.map((c) => `${c.port}.${c.method}`).filter((c) => WRITES.has(c)),
    audit: () => store.listAudit({}),
    close: () => store.close(),
  };
}

/** Wraps a port so each method call is recorded before it runs. */
function recording<T extends object>(port: keyof Ports, target: T, calls: PortCall[]): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push({ port, method: prop });
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

/** The mlops-v2 story in the source workspace: taxi-model v1–v5 with rmse/mae/r2, and a churn model. */
export function seedTaxiStory(bot: BotHarness): void {
  const metrics: Record<string, Record<string, number>> = {
    '1': { rmse: 0.52, mae: 0.39, r2: 0.81 },
    '2': { rmse: 0.47, mae: 0.35, r2: 0.84 },
    '3': { rmse: 0.44, mae: 0.33, r2: 0.86 },
    '4': { rmse: 0.45, mae: 0.31, r2: 0.85 },
    '5': { rmse: 0.41, mae: 0.32, r2: 0.88 },
  };
  for (const [version, m] of Object.entries(metrics)) bot.registry.addVersion('dev', { name: 'taxi-model', version }, m);
  bot.registry.addVersion('dev', { name: 'churn-model', version: '1', tags: { team: 'retention' } }, { accuracy: 0.91, auc: 0.95 });
}

/** A promotion the bot itself completed: the first source of "which version runs where". */
export async function seedSucceededPromotion(bot: BotHarness, model: string, version: string, env: string, at: string): Promise<void> {
  const id = `PR-${model.slice(0, 3).toUpperCase()}${version}${env.toUpperCase()}`;
  await bot.store.createRequest({
    id, revision: 1, model, version, sourceEnv: bot.settings.source, targetEnv: env,
    requester: { id: 'slack:U0DAVE', name: 'Dave' }, state: 'succeeded', approvals: [], minApprovals: 1,
    createdAt: at, updatedAt: at, remindersSent: 0,
  }, [], []);
}

// ——— Reading cards like a transcript ———

const TABLE_FIELDS = ['rows', 'versions', 'commands', 'roles', 'stages', 'steps', 'items', 'facts'];

/** The card's main table, header first; compare cards give `version` then their metric columns. */
export function tableOf(outcome: Outcome): string[][] {
  const data = outcome.reply.data as unknown as Record<string, unknown>;
  if (outcome.reply.template === 'compare') {
    const d = outcome.reply.data as { columns: string[]; rows: { version: string; cells: string[] }[] };
    return [['version', ...d.columns], ...d.rows.map((r) => [r.version, ...r.cells])];
  }
  const field = TABLE_FIELDS.find((f) => Array.isArray(data[f]));
  if (!field) return [];
  const rows = data[field] as Record<string, unknown>[];
  if (rows.length === 0) return [];
  const header = Object.keys(rows[0]);
  return [header, ...rows.map((r) => header.map((h) => String(r[h])))];
}

/** Every string on the card, one per line (what a reader would see, in order). */
export function textOf(outcome: Outcome): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(outcome.reply.data);
  return out.join('\n');
}

const show = (t: string[][]): string => t.map((r) => `  | ${r.join(' | ')} |`).join('\n');

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> {
      /** The card's table equals these rows (header first). */
      toShowTable(rows: string[][]): R;
      /** One row of the card's table equals this one. */
      toShowRow(row: string[]): R;
      /** The card's text contains this (or matches the pattern). */
      toSay(text: string | RegExp): R;
    }
  }
}

expect.extend({
  toShowTable(received: Outcome, rows: string[][]) {
    const table = tableOf(received);
    const pass = this.equals(table, rows);
    return { pass, message: () => `expected the ${received.reply.template} card ${pass ? 'not ' : ''}to show\n${show(rows)}\nbut it shows\n${show(table)}` };
  },
  toShowRow(received: Outcome, row: string[]) {
    const table = tableOf(received);
    const pass = table.slice(1).some((r) => this.equals(r, row));
    return { pass, message: () => `expected the ${received.reply.template} card ${pass ? 'not ' : ''}to have the row\n${show([row])}\nin\n${show(table)}` };
  },
  toSay(received: Outcome, text: string | RegExp) {
    const all = textOf(received);
    const pass = typeof text === 'string' ? all.includes(text) : text.test(all);
    return { pass, message: () => `expected the ${received.reply.template} card (${received.status}) ${pass ? 'not ' : ''}to say ${String(text)}; it says:\n${all}` };
  },
});
