/** Transcripts of `schedule …` through the real dispatcher, fakes and a SQLite store. */
import { FakeSchedules } from '../fakes/admin';
import { testSettings } from '../fakes/settings';
import { createBot, tableOf, textOf, type BotHarness } from '../support/bot-harness';

let bot: BotHarness;

function settingsWithSchedulers() {
  const settings = testSettings();
  settings.environments.find((e) => e.name === 'prod')!.schedulers = ['slack:U0DAVE', 'carol@contoso.com'];
  return settings;
}

beforeEach(async () => {
  bot = await createBot({ settings: settingsWithSchedulers(), schedules: new FakeSchedules(['taxi-batch', 'churn-batch']) });
  bot.clock.set('2026-11-02T09:00:00.000Z'); // Monday, 10:00 in Amsterdam
});
afterEach(() => bot.close());

const nextRunsOf = (o: Awaited<ReturnType<BotHarness['say']>>): string[] => (o.reply.data as { nextRuns: string[] }).nextRuns;

describe('schedule create', () => {
  it('creates a daily batch scoring schedule and previews its next three runs in its zone', async () => {
    const o = await bot.say('slack:U0DAVE', 'schedule create nightly-scoring --endpoint taxi-batch --every day --at 02:00 --tz Europe/Amsterdam --env prod --input azureml://datastores/blob/paths/taxi/');
    expect(o.status).toBe('ok');
    expect(o.reply.template).toBe('schedule');
    expect(o).toSay('Schedule nightly-scoring created');
    expect(o).toShowRow(['Runs', 'batch endpoint taxi-batch with azureml://datastores/blob/paths/taxi/']);
    expect(o).toShowRow(['When', 'every day at 02:00']);
    expect(o).toShowRow(['Time zone', 'Europe/Amsterdam']);
    expect(nextRunsOf(o)).toEqual([
      'Tue 2026-11-03 02:00 Europe/Amsterdam (01:00 UTC)',
      'Wed 2026-11-04 02:00 Europe/Amsterdam (01:00 UTC)',
      'Thu 2026-11-05 02:00 Europe/Amsterdam (01:00 UTC)',
    ]);
    expect(await bot.schedules.get('prod', 'nightly-scoring')).toMatchObject({
      enabled: true, timeZone: 'Europe/Amsterdam',
      trigger: { type: 'recurrence', frequency: 'day', interval: 1, hours: [2], minutes: [0] },
      action: { type: 'invoke_batch_endpoint', endpoint: 'taxi-batch', input: 'azureml://datastores/blob/paths/taxi/' },
    });
    expect(await bot.audit()).toMatchObject([{
      action: 'schedule.created', actor: 'slack:U0DAVE', env: 'prod', correlationId: 'corr-1',
      detail: { name: 'nightly-scoring', trigger: 'every day at 02:00', timeZone: 'Europe/Amsterdam', action: 'batch endpoint taxi-batch with azureml://datastores/blob/paths/taxi/' },
    }]);
  });

  it('creates a weekly schedule on chosen days and a cron pipeline schedule', async () => {
    const weekly = await bot.say('slack:U0ADMIN', 'schedule create weekly --endpoint churn-batch --every week --on mon,thu --at 06:30');
    expect(weekly).toShowRow(['When', 'every week on Mon, Thu at 06:30']);
    expect(nextRunsOf(weekly)).toEqual(['Thu 2026-11-05 06:30 UTC', 'Mon 2026-11-09 06:30 UTC', 'Thu 2026-11-12 06:30 UTC']);
    const cron = await bot.say('slack:U0ADMIN', 'schedule create retrain --pipeline train-taxi --cron "0 */6 * * *" --env dev');
    expect(cron).toShowRow(['Runs', 'pipeline job train-taxi']);
    expect(nextRunsOf(cron)).toEqual(['Mon 2026-11-02 12:00 UTC', 'Mon 2026-11-02 18:00 UTC', 'Tue 2026-11-03 00:00 UTC']);
    expect([...bot.schedules.byEnv.get('dev')!.keys()]).toEqual(['weekly', 'retrain']);
  });

  it.each([
    ['a bad cron, naming the field', 'schedule create x --endpoint taxi-batch --cron "0 2 * * funday"', "Cron day of week field 'funday' is invalid"],
    ['an interval below 1', 'schedule create x --endpoint taxi-batch --every hour --interval 0', '--interval must be a whole number of at least 1'],
    ['an unknown time zone', 'schedule create x --endpoint taxi-batch --every day --tz Europe/Atlantis', "Unknown time zone 'Europe/Atlantis'"],
    ['--on with a daily schedule', 'schedule create x --endpoint taxi-batch --every day --on mon', '--on works only with --every week'],
    ['a bad --at', 'schedule create x --endpoint taxi-batch --every day --at 7pm', '--at takes a time of day as HH:MM'],
    ['an unknown endpoint, listing the valid ones', 'schedule create x --endpoint taxi-bach --every day --env prod', "No batch endpoint 'taxi-bach' in prod. Batch endpoints: taxi-batch, churn-batch."],
    ['an unknown unit (parser)', 'schedule create x --endpoint taxi-batch --every fortnight', "'fortnight' is not a valid value for --every"],
  ])('refuses %s and changes nothing', async (_what, text, says) => {
    const o = await bot.say('slack:U0ADMIN', text);
    expect(o.status).toBe('invalid');
    expect(o.reply.template).toBe('error');
    expect(o).toSay(says);
    expect(bot.writes()).toEqual([]);
  });

  it('suggests the nearest endpoint', async () => {
    expect(await bot.say('slack:U0ADMIN', 'schedule create x --endpoint taxi-bach --every day')).toSay('Did you mean `taxi-batch`?');
  });

  it('will not overwrite an existing schedule', async () => {
    await bot.say('slack:U0ADMIN', 'schedule create nightly --endpoint taxi-batch --every day');
    const o = await bot.say('slack:U0ADMIN', 'schedule create nightly --endpoint churn-batch --every hour');
    expect(o.status).toBe('conflict');
    expect(o).toSay("A schedule named 'nightly' already exists in dev.");
    expect((await bot.schedules.get('dev', 'nightly'))!.action).toMatchObject({ endpoint: 'taxi-batch' });
  });
});

describe('who may manage schedules', () => {
  it('refuses someone who schedules nowhere, before the handler, and audits it', async () => {
    const o = await bot.say('slack:U0ALICE', 'schedule create x --endpoint taxi-batch --every day --env prod');
    expect(o.status).toBe('refused');
    expect(bot.writes()).toEqual(['store.appendAudit']);
    expect(await bot.audit()).toMatchObject([{ action: 'command.refused', actor: 'slack:U0ALICE', detail: { command: 'schedule create' } }]);
  });

  it("refuses a scheduler of prod in another environment, and audits it", async () => {
    const o = await bot.say('slack:U0DAVE', 'schedule create x --endpoint taxi-batch --every day --env dev');
    expect(o.status).toBe('refused');
    expect(o).toSay('Managing schedules in dev is for admins and the schedulers of dev.');
    expect(bot.writes()).toEqual(['store.appendAudit']);
    expect(await bot.audit()).toMatchObject([{ action: 'command.refused', actor: 'slack:U0DAVE', detail: { command: 'schedule create', reason: 'Managing schedules in dev is for admins and the schedulers of dev.' } }]);
    expect(bot.schedules.byEnv.get('dev')?.size ?? 0).toBe(0);
  });

  it('lets a scheduler named by email manage the environment', async () => {
    const o = await bot.say('slack:U0CAROL', 'schedule list --env prod');
    expect(o.status).toBe('ok');
  });
});

describe('schedule list, show, disable, enable, delete', () => {
  beforeEach(async () => {
    await bot.say('slack:U0DAVE', 'schedule create nightly --endpoint taxi-batch --every day --at 02:00 --tz Europe/Amsterdam --env prod');
    await bot.say('slack:U0DAVE', 'schedule create hourly --endpoint churn-batch --cron "15 * * * *" --env prod');
  });

  it('lists them by name', async () => {
    const o = await bot.say('slack:U0DAVE', 'schedule list --env prod');
    expect(o).toShowTable([
      ['name', 'trigger', 'action', 'enabled'],
      ['hourly', 'cron 15 * * * * (UTC)', 'batch endpoint churn-batch', 'yes'],
      ['nightly', 'every day at 02:00 (Europe/Amsterdam)', 'batch endpoint taxi-batch', 'yes'],
    ]);
    expect(await bot.say('slack:U0ADMIN', 'schedule list --env preprod')).toSay('No schedules yet.');
  });

  it('shows one with its next runs, and lists the existing ones for an unknown name', async () => {
    expect(nextRunsOf(await bot.say('slack:U0DAVE', 'schedule show hourly --env prod'))).toEqual([
      'Mon 2026-11-02 09:15 UTC', 'Mon 2026-11-02 10:15 UTC', 'Mon 2026-11-02 11:15 UTC',
    ]);
    const o = await bot.say('slack:U0DAVE', 'schedule show nighty --env prod');
    expect(o.status).toBe('not_found');
    expect(o).toSay("No schedule 'nighty' in prod. Schedules: hourly, nightly.");
  });

  it('disables and enables, auditing each change and saying when nothing changed', async () => {
    const off = await bot.say('slack:U0DAVE', 'schedule disable nightly --env prod');
    expect(off).toSay('Schedule nightly disabled');
    expect(off).toShowRow(['State', 'disabled']);
    expect(nextRunsOf(off)).toEqual([]);
    expect((await bot.schedules.get('prod', 'nightly'))!.enabled).toBe(false);
    expect(await bot.say('slack:U0DAVE', 'schedule disable nightly --env prod')).toSay('Schedule nightly was already disabled');
    const on = await bot.say('slack:U0DAVE', 'schedule enable nightly --env prod');
    expect(nextRunsOf(on)).toHaveLength(3);
    const actions = (await bot.audit()).map((a) => a.action).reverse(); // newest first
    expect(actions).toEqual(['schedule.created', 'schedule.created', 'schedule.disabled', 'schedule.enabled']);
  });

  it('deletes one and audits it', async () => {
    const o = await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod');
    expect(o).toSay('Schedule nightly deleted');
    expect(textOf(o)).toContain('It ran batch endpoint taxi-batch every day at 02:00 (Europe/Amsterdam) in prod.');
    expect(await bot.schedules.get('prod', 'nightly')).toBeNull();
    expect((await bot.audit())[0]).toMatchObject({ action: 'schedule.deleted', env: 'prod', detail: { name: 'nightly' } });
    expect((await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod')).status).toBe('not_found');
  });

  it('refuses a non-scheduler every verb', async () => {
    for (const verb of ['list', 'show nightly', 'disable nightly', 'enable nightly', 'delete nightly']) {
      expect((await bot.say('slack:U0ALICE', `schedule ${verb} --env prod`)).status).toBe('refused');
    }
    expect(tableOf(await bot.say('slack:U0DAVE', 'schedule list --env prod'))).toHaveLength(3);
  });
});
