import { allCommands } from '../../src/core/commands/all';
import { subscribeCommand } from '../../src/core/commands/subscribe';
import { subscriptionsCommand } from '../../src/core/commands/subscriptions';
import { unsubscribeCommand } from '../../src/core/commands/unsubscribe';
import type { NormalisedEvent } from '../../src/core/notifications/event';
import { parseFilter } from '../../src/core/notifications/filters';
import { defaultSubscriptions, makeSubscription, subscriptionMatches, SubscriptionBook } from '../../src/core/notifications/subscriptions';
import { createBot, type BotHarness } from '../support/bot-harness';
import { notificationSettings } from './notifications-support';

const event = (over: Partial<NormalisedEvent>): NormalisedEvent => ({
  id: 'e', kind: 'run_failed', source: 'azure-ml', title: 'Azure ML job failed: train-taxi-7', subject: 'train-taxi-7',
  experiment: 'taxi-training', links: {}, occurredAt: '2026-11-02T09:00:00Z', ...over,
});

describe('subscription matching', () => {
  const settings = notificationSettings();

  it('subscribes each environment\'s notification channels to its failed runs and failed releases', () => {
    const defaults = defaultSubscriptions(settings);
    const alerts = defaults.filter((s) => s.channel === 'slack:C0ALERTS');
    expect(alerts.map((s) => s.id)).toEqual(['failed-runs|prod|', 'releases|prod|kind:release_failed']);
    const routed = (e: NormalisedEvent) => defaults.filter((s) => subscriptionMatches(s, e)).map((s) => s.channel);
    expect(routed(event({ env: 'prod' }))).toEqual(['slack:C0ALERTS']);
    expect(routed(event({ env: 'dev' }))).toEqual(['slack:C0DEV']);
    expect(routed(event({ env: 'prod', kind: 'release_failed' }))).toEqual(['slack:C0ALERTS']);
    expect(routed(event({ env: 'prod', kind: 'release_rejected' }))).toEqual([]);
    expect(routed(event({ env: 'prod', kind: 'run_succeeded' }))).toEqual([]);
    expect(routed(event({ env: undefined }))).toEqual([]);
  });

  it('filters by name substring (all words) and by event kind within the family', () => {
    const taxi = makeSubscription('slack:C1', 'failed-runs', undefined, 'TAXI train', 'command');
    expect(taxi.filter).toBe('name:taxi name:train');
    expect(subscriptionMatches(taxi, event({}))).toBe(true);
    expect(subscriptionMatches(taxi, event({ experiment: 'churn', subject: 'churn-1', title: 'x' }))).toBe(false);
    const rejected = makeSubscription('slack:C1', 'releases', 'prod', 'kind:rejected', 'command');
    expect(subscriptionMatches(rejected, event({ kind: 'release_rejected', env: 'PROD' }))).toBe(true);
    expect(subscriptionMatches(rejected, event({ kind: 'release_failed', env: 'prod' }))).toBe(false);
    expect(() => parseFilter('failed-runs', 'kind:rejected')).toThrow("'rejected' is not an event kind of failed-runs. Valid: failed, canceled.");
    expect(makeSubscription('c', 'releases', 'prod', 'kind:release-failed', 'command').id).toBe(makeSubscription('c', 'releases', 'prod', 'kind:failed', 'command').id);
  });
});

describe('filters on the events\' real fields', () => {
  it('matches model=, experiment= and job= against the event (display name included), in either spelling', () => {
    const byModel = makeSubscription('slack:C1', 'failed-runs', undefined, 'model=Taxi-Model', 'command');
    expect(byModel.filter).toBe('model:taxi-model');
    expect(makeSubscription('slack:C1', 'failed-runs', undefined, 'model:taxi-model', 'command').id).toBe(byModel.id);
    expect(subscriptionMatches(byModel, event({ model: 'taxi-model' }))).toBe(true);
    expect(subscriptionMatches(byModel, event({ model: 'churn-model' }))).toBe(false);
    expect(subscriptionMatches(byModel, event({}))).toBe(false);
    const byJob = makeSubscription('slack:C1', 'failed-runs', undefined, 'job=train-taxi-model-2 experiment=taxi-training', 'command');
    expect(subscriptionMatches(byJob, event({ subject: 'clever_lemon_2l13', displayName: 'train-taxi-model-2' }))).toBe(true);
    expect(subscriptionMatches(byJob, event({ subject: 'clever_lemon_2l13', displayName: 'train-taxi-model-2', experiment: 'other' }))).toBe(false);
  });

  it('refuses a key its events do not carry, listing the valid ones', () => {
    expect(() => parseFilter('failed-runs', 'modle=taxi-model')).toThrow("'modle' is not a filter of failed-runs. Valid: model, experiment, job, pipeline, kind, name.");
    expect(() => parseFilter('releases', 'model=taxi-model')).toThrow("'model' is not a filter of releases. Valid: pipeline, release, kind, name.");
    expect(() => parseFilter('failed-runs', 'model=')).toThrow("'model=' has no value.");
  });

  it('routes an Azure ML failure of taxi-model to a model=taxi-model subscription only', async () => {
    const bot = await createBot({ settings: notificationSettings(), commands: allCommands });
    try {
      expect((await bot.say('slack:U0ADMIN', 'subscribe failed-runs --filter model=taxi-model', { channel: 'slack:C0TAXI' })).status).toBe('ok');
      expect((await bot.say('slack:U0ADMIN', 'subscribe failed-runs --filter model=churn-model', { channel: 'slack:C0CHURN' })).status).toBe('ok');
      const subs = await new SubscriptionBook(bot.store, bot.settings).all();
      const routed = subs.filter((s) => subscriptionMatches(s, event({ env: 'dev', model: 'taxi-model' }))).map((s) => s.channel);
      expect(routed).toEqual(['slack:C0DEV', 'slack:C0TAXI']);
    } finally {
      await bot.close();
    }
  });
});

describe('subscribe, unsubscribe, subscriptions', () => {
  let bot: BotHarness;
  const commands = allCommands;
  const inAlerts = { channel: 'slack:C0ALERTS' };
  const inOps = { channel: 'slack:C0OPS' };
  beforeEach(async () => { bot = await createBot({ settings: notificationSettings(), commands }); });
  afterEach(async () => { await bot.close(); });
  const book = () => new SubscriptionBook(bot.store, bot.settings);

  it('lets an admin subscribe a channel, once, and audits the change', async () => {
    const first = await bot.say('slack:U0ADMIN', 'subscribe failed-runs --env PROD --filter taxi', inOps);
    expect(first.status).toBe('ok');
    expect(first).toSay('This channel now receives failed runs (prod · name contains "taxi").');
    const again = await bot.say('slack:U0ADMIN', 'subscribe failed-runs --env prod --filter taxi', inOps);
    expect(again).toSay('already receives');
    const subs = await book().forChannel('slack:C0OPS');
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ kind: 'failed-runs', env: 'prod', filter: 'name:taxi', createdBy: 'slack:U0ADMIN', origin: 'command' });
    const audit = await bot.audit();
    expect(audit.filter((a) => a.action === 'subscription.added')).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'subscription.added', actor: 'slack:U0ADMIN', env: 'prod', detail: { channel: 'slack:C0OPS', kind: 'failed-runs', filter: 'name:taxi' } });
  });

  it('refuses subscribe and unsubscribe to non-admins (approvers included), changes nothing, audits the refusal', async () => {
    for (const text of ['subscribe releases --env prod', 'unsubscribe failed-runs']) {
      const o = await bot.say('slack:U0ALICE', text, inAlerts);
      expect(o.status).toBe('refused');
      expect(o.visibility).toBe('private');
    }
    expect(await book().forChannel('slack:C0ALERTS')).toHaveLength(2);
    expect(await bot.store.listDocs('subscriptions')).toEqual([]);
    const audit = await bot.audit();
    expect(audit.map((a) => a.action)).toEqual(['command.refused', 'command.refused']);
    expect((await bot.say('slack:U0DAVE', 'subscriptions', inAlerts)).status).toBe('ok');
  });

  it('unsubscribes from a config default, remembers it, and a later subscribe restores it', async () => {
    const o = await bot.say('slack:U0ADMIN', 'unsubscribe failed-runs --env prod', inAlerts);
    expect(o).toSay('no longer receives failed runs (prod)');
    const prodFailure = event({ env: 'prod' });
    const routed = async () => (await book().all()).filter((s) => subscriptionMatches(s, prodFailure)).map((s) => s.channel);
    expect(await routed()).toEqual([]);
    expect(await book().forChannel('slack:C0ALERTS')).toHaveLength(1);
    await bot.say('slack:U0ADMIN', 'subscribe failed-runs --env prod', inAlerts);
    expect(await routed()).toEqual(['slack:C0ALERTS']);
    expect((await bot.audit()).map((a) => a.action)).toEqual(['subscription.added', 'subscription.removed']);
  });

  it('unsubscribe removes only the subscription whose filter it names, and asks which when several match', async () => {
    await bot.say('slack:U0ADMIN', 'subscribe failed-runs --filter model=taxi-model', inOps);
    await bot.say('slack:U0ADMIN', 'subscribe failed-runs --filter model=churn-model', inOps);
    const ask = await bot.say('slack:U0ADMIN', 'unsubscribe failed-runs', inOps);
    expect(ask.status).toBe('invalid');
    expect(ask).toSay('This channel has 2 failed-runs subscriptions; nothing was removed.');
    expect(ask).toSay('`unsubscribe failed-runs --filter "model:churn-model"`');
    expect(await book().forChannel('slack:C0OPS')).toHaveLength(2);
    const one = await bot.say('slack:U0ADMIN', 'unsubscribe failed-runs --filter model=taxi-model', inOps);
    expect(one).toSay('no longer receives failed runs (all environments · model taxi-model)');
    expect((await book().forChannel('slack:C0OPS')).map((s) => s.filter)).toEqual(['model:churn-model']);
    const none = await bot.say('slack:U0ADMIN', 'unsubscribe failed-runs --filter model=taxi-model', inOps);
    expect(none.status).toBe('not_found');
    expect(none).toSay('This channel has no failed-runs subscription with that filter.');
  });

  it('lists the channel\'s subscriptions with where they came from', async () => {
    bot.clock.set('2026-11-03T10:30:00Z');
    await bot.say('slack:U0ADMIN', 'subscribe approvals --env prod', inAlerts);
    const o = await bot.say('slack:U0DAVE', 'subscriptions', inAlerts);
    expect(o.reply.template).toBe('subscriptions');
    expect(o.reply.data).toMatchObject({
      rows: [
        { kind: 'failed-runs', filter: 'prod', created: 'from config' },
        { kind: 'releases', filter: 'prod · failed only', created: 'from config' },
        { kind: 'approvals', filter: 'prod', created: '2026-11-03 10:30 UTC by slack:U0ADMIN' },
      ],
    });
    const none = await bot.say('slack:U0DAVE', 'subscriptions', inOps);
    expect(none.reply.data).toMatchObject({ rows: [] });
  });

  it('answers bad input with a specific error and stores nothing', async () => {
    const cases: [string, { channel?: string }, string][] = [
      ['subscribe failed-runs --env staging', inOps, "No environment 'staging'"],
      ['subscribe releases --filter kind:pending', inOps, "'pending' is not an event kind of releases"],
      ['subscribe everything', inOps, 'Valid values: failed-runs, releases, approvals.'],
    ];
    for (const [text, where, says] of cases) {
      const o = await bot.say('slack:U0ADMIN', text, where);
      expect(o.status).toBe('invalid');
      expect(o).toSay(says);
    }
    const nothing = await bot.say('slack:U0ADMIN', 'unsubscribe approvals', inOps);
    expect(nothing.status).toBe('not_found');
    expect(await bot.store.listDocs('subscriptions')).toEqual([]);
  });
});
