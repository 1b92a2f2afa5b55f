/** The job poller: failed jobs as notifications, once, beside Event Grid, across restarts. */
import { openStore } from '../../src/adapters/store';
import type { JobInfo } from '../../src/core/models';
import { createNotifications, JobPoller, jobEvent, NotificationRouter, SubscriptionBook, nextWatermark, normaliseAzureMl, parseEnvelopes, POLL_NS, type Notifications, type PollCheckpoint } from '../../src/core/notifications';
import type { Store } from '../../src/core/ports';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { drain, makeWorker, notificationSettings, runStatusEvent } from './notifications-support';

const settings = notificationSettings();
const MIN = 60_000;

let clock: FakeClock;
let store: Store;
let chat: FakeChat;
let registry: FakeRegistry;
let log: CapturingLogger;
let n: Notifications;
let poller: JobPoller;

function boot(s: Store = store): void {
  n = createNotifications({ store: s, chat, clock, log, settings });
  poller = new JobPoller({ store: s, registry, router: n.router, settings, clock, log });
}

const ago = (ms: number) => new Date(clock.now().getTime() - ms);
function job(name: string, state: JobInfo['state'], createdAgoMs: number, over: Partial<JobInfo> = {}): JobInfo {
  const status = { failed: 'Failed', canceled: 'Canceled', completed: 'Completed', running: 'Running', queued: 'Queued', unknown: 'Unknown' }[state];
  return { name, status, state, createdAt: ago(createdAgoMs), experimentName: 'taxi-fare-training', ...over };
}
const cards = (channel: string) => chat.inChannel(channel).map((p) => (p.message.data as { title: string }).title);
const checkpoint = (env: string) => store.getDoc<PollCheckpoint>(POLL_NS, env);

beforeEach(async () => {
  clock = new FakeClock();
  store = await openStore('sqlite::memory:', { clock });
  chat = new FakeChat();
  registry = new FakeRegistry();
  log = new CapturingLogger();
  boot();
});
afterEach(async () => { await store.close(); });

describe('run events from Event Grid, completed from the job', () => {
  const eg = (id: string) => {
    const parsed = parseEnvelopes([runStatusEvent('eventgridschema', { id, env: 'prod', runId: 'clever_lemon_2l13' })]);
    if (parsed.kind !== 'events') throw new Error('expected events');
    return normaliseAzureMl(parsed.events[0], settings);
  };

  it('takes the display name, error and model from the job', async () => {
    registry.addJob('prod', job('clever_lemon_2l13', 'failed', MIN, { displayName: 'train-taxi-model-2', error: 'OOM', tags: { model: 'taxi-model' } }));
    n = createNotifications({ store, chat, clock, log, settings, jobs: registry });
    await n.router.ingest([eg('e-1')]);
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0ALERTS')).toEqual(['Azure ML job failed in prod: train-taxi-model-2']);
    expect(chat.posts[0].message.data).toMatchObject({ error: 'OOM' });
    expect(registry.jobCalls).toBe(1);
  });

  it('records the event as it came when the job cannot be read in time', async () => {
    const slow = { getJob: () => new Promise<null>(() => undefined) };
    const router = new NotificationRouter({ store, clock, log, book: new SubscriptionBook(store, settings), jobs: slow, jobLookupMs: 20 });
    expect(await router.ingest([eg('e-2')])).toMatchObject({ accepted: 1, deliveries: 1 });
    const failing = { getJob: async () => { throw new Error('throttled'); } };
    const again = new NotificationRouter({ store, clock, log, book: new SubscriptionBook(store, settings), jobs: failing });
    expect(await again.ingest([eg('e-3')])).toMatchObject({ duplicates: 1 });
  });
});

describe('the job poller', () => {
  it('turns a failed job into one card with its error, and a later poll repeats nothing', async () => {
    registry.addJob('prod', job('train-1', 'failed', 5 * MIN, { error: 'UserError: Column \'trip_distance\' not found.', studioUrl: 'https://ml.azure.com/runs/train-1?wsid=x' }));
    registry.addJob('prod', job('train-2', 'completed', 4 * MIN));
    const first = await poller.pollOnce();
    expect(first).toMatchObject({ polled: 3, failed: 0, jobs: 2, accepted: 1, deliveries: 1 });
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0ALERTS')).toEqual(['Azure ML job failed in prod: train-1']);
    expect(chat.posts[0].message).toMatchObject({
      template: 'run-failed',
      data: { error: 'UserError: Column \'trip_distance\' not found.', links: [{ title: 'Open in studio', url: 'https://ml.azure.com/runs/train-1?wsid=x' }] },
    });
    clock.advance(MIN);
    expect(await poller.pollOnce()).toMatchObject({ accepted: 0 });
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(chat.posts).toHaveLength(1);
  });

  it('names the job by its display name (as `runs` does) and carries its model tag for filters', async () => {
    registry.addJob('prod', job('clever_lemon_2l13', 'failed', 5 * MIN, { displayName: 'train-taxi-model-2', tags: { model: 'taxi-model' }, error: 'OOM' }));
    await poller.pollOnce();
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0ALERTS')).toEqual(['Azure ML job failed in prod: train-taxi-model-2']);
    expect((chat.posts[0].message.data as { facts: unknown[] }).facts).toContainEqual({ title: 'Job', value: 'train-taxi-model-2 (clever_lemon_2l13)' });
    const prod = settings.environments.find((e) => e.name === 'prod')!;
    expect(jobEvent(job('j', 'failed', MIN, { tags: { model: 'taxi-model' } }), prod, clock.now())?.model).toBe('taxi-model');
  });

  it('builds the studio link itself when the job has none, and reports canceled jobs as such', async () => {
    registry.addJob('dev', job('train-3', 'canceled', MIN));
    await n.book.add({ id: 'failed-runs|dev|kind:canceled', channel: 'slack:C0DEV', kind: 'failed-runs', env: 'dev', filter: 'kind:canceled', origin: 'command' });
    await poller.pollOnce();
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0DEV')).toEqual(['Azure ML job was canceled in dev: train-3']);
    expect((chat.posts[0].message.data as { links: { url: string }[] }).links[0].url)
      .toBe('https://ml.azure.com/runs/train-3?wsid=/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-mlopsv2-0001dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001dev');
  });

  it.each(['event grid first', 'poller first'])('delivers a failure seen by Event Grid and the poller once (%s)', async (order) => {
    registry.addJob('prod', job('train-eg', 'failed', 2 * MIN));
    const [raw] = (parseEnvelopes([runStatusEvent('eventgridschema', { id: 'random-guid-1', env: 'prod', runId: 'train-eg', status: 'failed' })]) as { events: Parameters<typeof normaliseAzureMl>[0][] }).events;
    const pushed = () => n.router.ingest([normaliseAzureMl(raw, settings)]);
    if (order === 'event grid first') { await pushed(); await poller.pollOnce(); } else { await poller.pollOnce(); await pushed(); }
    // Event Grid publishes again under a new id: still the same failure.
    const [again] = (parseEnvelopes([runStatusEvent('cloudevents', { id: 'random-guid-2', env: 'prod', runId: 'train-eg', status: 'Failed' })]) as { events: Parameters<typeof normaliseAzureMl>[0][] }).events;
    expect(await n.router.ingest([normaliseAzureMl(again, settings)])).toMatchObject({ accepted: 0, duplicates: 1 });
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0ALERTS')).toEqual(['Azure ML job failed in prod: train-eg']);
  });

  it('keeps a running job under watch and reports it when it fails, across a restart', async () => {
    registry.addJob('prod', job('long-run', 'running', 50 * MIN));
    registry.addJob('prod', job('short-run', 'completed', 10 * MIN));
    await poller.pollOnce();
    expect(await checkpoint('prod')).toMatchObject({ since: ago(50 * MIN).toISOString() });

    clock.advance(30 * MIN);
    boot(); // a restart: new router, backlog and poller on the same store
    Object.assign(registry['data']('prod').jobs[0], { state: 'failed', status: 'Failed' });
    registry.addJob('prod', job('new-fail', 'failed', 5 * MIN));
    expect(await poller.pollOnce()).toMatchObject({ accepted: 2 });
    // Nothing runs any more: the watermark moves to the newest job seen.
    expect(await checkpoint('prod')).toMatchObject({ since: ago(5 * MIN).toISOString() });
    boot();
    expect(await poller.pollOnce()).toMatchObject({ accepted: 0 });
    await drain(makeWorker(store, n.handlers, clock, log), clock);
    expect(cards('slack:C0ALERTS').sort()).toEqual(['Azure ML job failed in prod: long-run', 'Azure ML job failed in prod: new-fail']);
  });

  it('starts an hour back on its first poll, and never trails more than the lookback bound', async () => {
    registry.addJob('prod', job('old-fail', 'failed', 2 * 60 * MIN));
    registry.addJob('prod', job('stuck', 'running', 59 * MIN));
    expect(await poller.pollOnce()).toMatchObject({ accepted: 0, jobs: 1 });
    clock.advance(4 * 24 * 60 * MIN);
    await poller.pollOnce();
    expect(await checkpoint('prod')).toMatchObject({ since: ago(3 * 24 * 60 * MIN).toISOString() });
  });

  it('goes on with the other environments when one cannot be listed, and keeps its checkpoint', async () => {
    registry.addJob('prod', job('train-ok', 'failed', MIN));
    const real = registry.listJobs.bind(registry);
    registry.listJobs = async (env, opts) => { if (env === 'dev') throw new Error('workspace unreachable'); return real(env, opts); };
    expect(await poller.pollOnce()).toMatchObject({ polled: 2, failed: 1, accepted: 1 });
    expect(await checkpoint('dev')).toBeNull();
    expect(log.lines.some((l) => l.level === 'warn' && l.obj.env === 'dev')).toBe(true);
  });
});

describe('nextWatermark', () => {
  const at = (iso: string) => new Date(iso);
  const j = (state: JobInfo['state'], iso?: string): JobInfo => ({ name: 'x', status: state, state, ...(iso ? { createdAt: at(iso) } : {}) });
  const since = at('2026-11-02T08:00:00Z');

  it('is the oldest open job, else the newest job, never before where the poll started', () => {
    expect(nextWatermark([j('completed', '2026-11-02T08:30:00Z'), j('running', '2026-11-02T08:10:00Z'), j('unknown', '2026-11-02T08:20:00Z')], since)).toEqual(at('2026-11-02T08:10:00Z'));
    expect(nextWatermark([j('failed', '2026-11-02T08:30:00Z'), j('completed', '2026-11-02T08:40:00Z')], since)).toEqual(at('2026-11-02T08:40:00Z'));
    expect(nextWatermark([], since)).toEqual(since);
    expect(nextWatermark([j('running')], since)).toEqual(since);
  });
});
