/** Audit fan-out: every entry reaches its environment's audit channels, once, with the entry. */
import { openStore } from '../../src/adapters/store';
import { auditChannelsFor, auditPostEffects, AUDIT_POST_EFFECT } from '../../src/core/audit/fan-out';
import { auditEffectHandlers } from '../../src/core/audit/post';
import { recordAudit } from '../../src/core/audit/record';
import type { AuditDraft } from '../../src/core/audit/types';
import { OutboxWorker } from '../../src/core/outbox/worker';
import type { Store } from '../../src/core/ports';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { auditSettings } from './audit-support';

const draft = (over: Partial<AuditDraft> = {}): AuditDraft => ({
  action: 'subscription.added', actor: 'slack:U0ADMIN', detail: { channel: 'slack:C0OPS', kind: 'failed-runs' }, correlationId: 'corr-1', ...over,
});

let clock: FakeClock;
let store: Store;
let chat: FakeChat;
let worker: OutboxWorker;
const settings = auditSettings();

beforeEach(async () => {
  clock = new FakeClock();
  store = await openStore('sqlite::memory:', { clock });
  chat = new FakeChat();
  worker = new OutboxWorker({ store, handlers: auditEffectHandlers({ chat, store }), clock, log: new CapturingLogger(), backoff: { baseMs: 10, maxMs: 10, factor: 1 } });
});
afterEach(async () => { await store.close(); });

const channelsOf = () => chat.posts.map((p) => p.ref.channel).sort();

describe('which audit channels an entry goes to', () => {
  it('an environment entry goes to that environment only, matched without regard to case', () => {
    expect(auditChannelsFor(settings, 'prod')).toEqual(['slack:C0AUDIT', 'teams:19:audit']);
    expect(auditChannelsFor(settings, 'DEV')).toEqual(['slack:C0DEVAUDIT', 'teams:19:audit']);
    expect(auditChannelsFor(settings, 'preprod')).toEqual([]);
  });

  it('an entry about no (or no configured) environment goes to every audit channel, each once', () => {
    const all = ['slack:C0DEVAUDIT', 'teams:19:audit', 'slack:C0AUDIT'];
    expect(auditChannelsFor(settings, undefined)).toEqual(all);
    expect(auditChannelsFor(settings, 'staging')).toEqual(all);
  });
});

describe('recordAudit', () => {
  it('stores the entry and its posts together; the worker posts a short audit card to each channel once', async () => {
    const [entry] = await recordAudit(store, settings, [draft({ env: 'prod' })]);
    expect(entry).toMatchObject({ seq: 1, action: 'subscription.added', env: 'prod' });
    expect(await worker.runOnce()).toBe(2);
    expect(await worker.runOnce()).toBe(0);
    expect(channelsOf()).toEqual(['slack:C0AUDIT', 'teams:19:audit']);
    const message = chat.posts[0].message;
    expect(message.template).toBe('audit-entry');
    // One line and a pointer to the full entry: a group chat is not flooded with hashes.
    expect(message.data).toEqual({
      title: 'Audit #1: subscription.added',
      facts: [
        { title: 'Summary', value: 'slack:U0ADMIN · prod' },
        { title: 'Full entry', value: `\`audit show 1\` (hash ${entry.hash.slice(0, 12)}…)` },
        { title: 'Chain head', value: `#1 ${entry.hash.slice(0, 16)}` },
      ],
      hash: '',
    });
  });

  it('each post carries the chain head (count and hash) as it stands, a copy outside the database', async () => {
    await recordAudit(store, settings, [draft({ env: 'prod' })]);
    const [, second] = await recordAudit(store, settings, [draft({ env: 'prod', action: 'a.first' }), draft({ env: 'prod', action: 'a.second' })]);
    await worker.runOnce();
    const facts = (chat.posts.at(-1)!.message.data as { facts: { title: string; value: string }[] }).facts;
    expect(facts).toContainEqual({ title: 'Chain head', value: `#3 ${second.hash.slice(0, 16)}` });
    expect(await store.auditHead()).toEqual({ seq: 3, hash: second.hash });
  });

  it('posts an entry without environment to every audit channel', async () => {
    await recordAudit(store, settings, [draft({ action: 'command.refused' })]);
    while ((await worker.runOnce()) > 0);
    expect(channelsOf()).toEqual(['slack:C0AUDIT', 'slack:C0DEVAUDIT', 'teams:19:audit']);
    expect(chat.posts[0].message.data).toMatchObject({ facts: expect.arrayContaining([{ title: 'Summary', value: 'slack:U0ADMIN · all environments' }]) });
  });

  it('retries a failed post without posting twice, and a channel that fails does not hold back another', async () => {
    await recordAudit(store, settings, [draft({ env: 'prod' })]);
    chat.failNext = 1;
    await worker.runOnce();
    expect(channelsOf()).toEqual(['teams:19:audit']);
    clock.advance(1000);
    await worker.runOnce();
    clock.advance(1000);
    await worker.runOnce();
    expect(channelsOf()).toEqual(['slack:C0AUDIT', 'teams:19:audit']);
  });

  it('keys posts by entry: the same batch recorded again adds none, another action or invocation does', () => {
    const keys = (d: AuditDraft[]) => auditPostEffects(settings, d).map((e) => e.key);
    const one = keys([draft({ env: 'prod' })]);
    expect(one).toHaveLength(2);
    expect(keys([draft({ env: 'prod' })])).toEqual(one);
    expect(keys([draft({ env: 'prod', correlationId: 'corr-2' })])).not.toEqual(one);
    const pair = keys([draft({ env: 'prod' }), draft({ env: 'prod' })]);
    expect(new Set(pair).size).toBe(4);
    expect(auditPostEffects(settings, [draft()]).every((e) => e.kind === AUDIT_POST_EFFECT)).toBe(true);
  });

  it('tells two equal entries without correlation id apart', async () => {
    const bare = draft({ env: 'prod', correlationId: undefined });
    await recordAudit(store, settings, [bare]);
    await recordAudit(store, settings, [bare]);
    while ((await worker.runOnce()) > 0);
    expect(chat.posts).toHaveLength(4);
    // Which stored entry each post is about is ambiguous, so no card names a number or a hash.
    for (const p of chat.posts) {
      expect(p.message.data).toMatchObject({ hash: '' });
      expect((p.message.data as { facts: { title: string }[] }).facts.map((f) => f.title)).not.toContain('Full entry');
    }
  });

  it('records nothing for no drafts, and an entry with no audit channel is stored without effects', async () => {
    expect(await recordAudit(store, settings, [])).toEqual([]);
    await recordAudit(store, settings, [draft({ env: 'preprod' })]);
    expect(await store.listAudit({})).toHaveLength(1);
    expect(await worker.runOnce()).toBe(0);
  });
});
