import { openStore } from '../../src/adapters/store';
import type { CardMessage } from '../../src/core/cards/views';
import type { NormalisedEvent } from '../../src/core/notifications/event';
import { createNotifications, type Notifications, type PostedInfo } from '../../src/core/notifications';
import type { Chat, MessageRef, Store } from '../../src/core/ports';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { OutboxWorker } from '../../src/core/outbox/worker';
import { drain, makeWorker, notificationSettings } from './notifications-support';

const failure = (n: number, over: Partial<NormalisedEvent> = {}): NormalisedEvent => ({
  id: `aml:runstatuschanged:ev-${n}`, kind: 'run_failed', source: 'azure-ml', env: 'prod', workspace: 'mlw-mlopsv2-0001prod',
  title: `Azure ML job failed in prod: train-${n}`, subject: `train-${n}`, experiment: 'taxi-training', status: 'Failed',
  error: 'UserError: data/train.csv not found', links: { studio: `https://ml.azure.com/runs/train-${n}` }, owner: 'slack:U0ALICE',
  occurredAt: '2026-11-02T08:59:00Z', ...over,
});

/** A chat that answers 429 with Retry-After for the first `limited` posts. */
class LimitedChat extends FakeChat {
  limited = 0;
  rejected = 0;
  override async post(channel: string, message: CardMessage): Promise<MessageRef> {
    if (this.limited > 0) { this.limited--; this.rejected++; throw Object.assign(new Error('ratelimited'), { retryAfterMs: 5000 }); }
    return super.post(channel, message);
  }
}

describe('notification delivery', () => {
  let clock: FakeClock;
  let store: Store;
  let chat: LimitedChat;
  let posted: PostedInfo[];
  let n: Notifications;
  const log = new CapturingLogger();
  const setup = (s: Store, c: Chat = chat) => createNotifications({ store: s, chat: c, clock, log, settings: notificationSettings(), onPosted: (p) => posted.push(p) });
  const worker = () => makeWorker(store, n.handlers, clock, log);
  const delivered = (channel: string) => posted.filter((p) => p.channel === channel).flatMap((p) => p.eventIds).sort();

  beforeEach(async () => {
    clock = new FakeClock();
    store = await openStore('sqlite::memory:', { clock });
    chat = new LimitedChat();
    posted = [];
    n = setup(store);
  });
  afterEach(async () => { await store.close(); });

  it('posts one actionable card per subscribed channel, and a redelivery posts nothing more', async () => {
    await n.book.add({ id: 'failed-runs|*|', channel: 'teams:19:ops', kind: 'failed-runs', filter: '', origin: 'command' });
    expect(await n.router.ingest([failure(1)])).toEqual({ accepted: 1, duplicates: 0, ignored: 0, unrouted: 0, deliveries: 2 });
    expect(await n.router.ingest([failure(1), null])).toEqual({ accepted: 0, duplicates: 1, ignored: 1, unrouted: 0, deliveries: 0 });
    await drain(worker(), clock);
    expect(chat.posts.map((p) => p.ref.channel).sort()).toEqual(['slack:C0ALERTS', 'teams:19:ops']);
    const msg = chat.inChannel('slack:C0ALERTS')[0].message;
    expect(msg).toMatchObject({
      template: 'run-failed',
      data: {
        title: 'Azure ML job failed in prod: train-1', error: 'UserError: data/train.csv not found', mention: 'slack:U0ALICE',
        links: [{ title: 'Open in studio', url: 'https://ml.azure.com/runs/train-1' }],
      },
    });
    expect((msg.data as { facts: { title: string }[] }).facts.map((f) => f.title)).toEqual(['Environment', 'Workspace', 'Experiment', 'Job', 'Status', 'When']);
    expect((await store.getEffect('notify:aml:runstatuschanged:ev-1:slack:C0ALERTS'))?.status).toBe('done');
  });

  it('keeps to one post per second per channel', async () => {
    await n.router.ingest([failure(1), failure(2)]);
    const w = worker();
    await w.runOnce();
    await w.runOnce();
    expect(chat.posts).toHaveLength(1);
    clock.advance(1000);
    await w.runOnce();
    expect(chat.posts).toHaveLength(2);
    expect(chat.posts.every((p) => p.message.template === 'run-failed')).toBe(true);
  });

  it('honours Retry-After from the platform and still delivers once', async () => {
    chat.limited = 2;
    await n.router.ingest([failure(1)]);
    const w = worker();
    await w.runOnce();
    clock.advance(1000);
    await w.runOnce();
    expect(chat.posts).toHaveLength(0);
    expect(chat.rejected).toBe(1);
    await drain(w, clock);
    expect(chat.posts).toHaveLength(1);
    expect(chat.rejected).toBe(2);
  });

  it('folds a burst into digests instead of flooding, and names every failure in the channel', async () => {
    const events = Array.from({ length: 40 }, (_, i) => failure(i));
    await n.router.ingest(events.slice(0, 20));
    await n.router.ingest(events.slice(20));
    await drain(worker(), clock);
    // 15 lines a message: three messages, one per rate slot, and no "…and 25 more" left unnamed.
    expect(chat.posts.map((p) => p.message.template)).toEqual(['digest', 'digest', 'digest']);
    const items = chat.posts.flatMap((p) => (p.message.data as { items: { title: string }[] }).items.map((i) => i.title));
    for (const e of events) expect([e.title, items.filter((t) => t === e.title).length]).toEqual([e.title, 1]);
    expect(items).toContain('25 more in the next message');
    expect(items.some((t) => t.startsWith('…and'))).toBe(false);
    expect(delivered('slack:C0ALERTS')).toEqual(events.map((e) => e.id).sort());
  });

  it('a burst of 24 failures is named in full: 15 in the digest, the other 9 in the next message (item 9)', async () => {
    const events = Array.from({ length: 24 }, (_, i) => failure(100 + i));
    await n.router.ingest(events);
    await drain(worker(), clock);
    const items = chat.posts.flatMap((p) => (p.message.data as { items: { title: string }[] }).items.map((i) => i.title));
    expect(events.filter((e) => !items.includes(e.title))).toEqual([]);
    expect(chat.posts).toHaveLength(2);
  });

  it('a digest waiting for its turn takes in what arrives meanwhile', async () => {
    await n.router.ingest([failure(0)]);
    const w = worker();
    await w.runOnce();
    expect(chat.posts).toHaveLength(1);
    await n.router.ingest(Array.from({ length: 5 }, (_, i) => failure(i + 1)));
    await w.runOnce();
    await n.router.ingest(Array.from({ length: 5 }, (_, i) => failure(i + 6)));
    await w.runOnce();
    expect(chat.posts).toHaveLength(1);
    await drain(w, clock);
    expect(chat.posts.map((p) => p.message.template)).toEqual(['run-failed', 'digest']);
    expect(delivered('slack:C0ALERTS')).toHaveLength(11);
    expect(new Set(delivered('slack:C0ALERTS')).size).toBe(11);
  });

  it('a restart between folding and posting the digest neither loses nor doubles', async () => {
    await n.router.ingest(Array.from({ length: 8 }, (_, i) => failure(i)));
    chat.limited = 1;
    await worker().runOnce(); // folds the burst into a digest that has not posted yet
    expect(chat.posts).toHaveLength(0);
    n = setup(store); // a new process: empty memory, same store
    await drain(worker(), clock);
    expect(chat.posts).toHaveLength(1);
    expect(delivered('slack:C0ALERTS')).toEqual(Array.from({ length: 8 }, (_, i) => failure(i).id).sort());
  });

  it('two replicas on one store share each channel\'s pace and digest: one post per second, each event once', async () => {
    const times: Record<string, number[]> = {};
    const replicaOf = (holder: string) => createNotifications({
      store, chat, clock, log, settings: notificationSettings(), replica: { holder },
      onPosted: (p) => { posted.push(p); (times[p.channel] ??= []).push(clock.now().getTime()); },
    });
    const [a, b] = [replicaOf('replica-a'), replicaOf('replica-b')];
    const one = (x: Notifications) => new OutboxWorker({ store, handlers: x.handlers, clock, log, leaseMs: 30_000, maxAttempts: 20, batchSize: 1 });
    const [wa, wb] = [one(a), one(b)];
    await a.router.ingest([failure(1)]);
    await b.router.ingest([failure(2)]);
    await wa.runOnce();
    await wb.runOnce(); // the channel's turn was just used by replica a
    expect(chat.posts).toHaveLength(1);
    clock.advance(1000);
    await wb.runOnce();
    expect(chat.posts).toHaveLength(2);
    // A burst arriving through both replicas, worked off by both.
    const burst = Array.from({ length: 10 }, (_, i) => failure(10 + i));
    await a.router.ingest(burst.slice(0, 5));
    await b.router.ingest(burst.slice(5));
    for (let i = 0; i < 60; i++) {
      await wa.runOnce();
      await wb.runOnce();
      clock.advance(250);
    }
    const alerts = times['slack:C0ALERTS'];
    for (let i = 1; i < alerts.length; i++) expect(alerts[i] - alerts[i - 1]).toBeGreaterThanOrEqual(1000);
    expect(delivered('slack:C0ALERTS')).toEqual([failure(1), failure(2), ...burst].map((e) => e.id).sort());
    expect(chat.inChannel('slack:C0ALERTS').length).toBeLessThan(6);
  });

  it('posts status cards for approvals and release successes, and no button for a non-web link', async () => {
    await n.book.add({ id: 'approvals|prod|', channel: 'slack:C0APPROVE', kind: 'approvals', env: 'prod', filter: '', origin: 'command' });
    await n.router.ingest([failure(1, { id: 'ado:a1', kind: 'approval_pending', source: 'azure-devops', title: 'Approval pending: Release-7 to prod', links: { run: 'javascript:alert(1)' } })]);
    await drain(worker(), clock);
    expect(chat.posts[0].message).toMatchObject({ template: 'release', data: { title: 'Approval pending: Release-7 to prod', stages: [{ name: 'prod', state: 'awaiting approval' }], links: [] } });
  });
});
