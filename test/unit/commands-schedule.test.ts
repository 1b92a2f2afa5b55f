/** Transcripts of `schedule …` through the real dispatcher, fakes and a SQLite store. */
import { createBotCore } from '../../src/core/bot-core';
import type { ActionButton } from '../../src/core/cards/views';
import { FakeSchedules } from '../fakes/admin';
import { testSettings } from '../fakes/settings';
import { createBot, tableOf, textOf, USERS, type BotHarness } from '../support/bot-harness';

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
    const cron = await bot.say('slack:U0ADMIN', 'schedule create retrain --pipeline taxi-training-pipeline --cron "0 */6 * * *" --env dev');
    expect(cron).toShowRow(['Runs', 'pipeline job taxi-training-pipeline']);
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
    ['a pipeline job the workspace does not have, listing its pipeline jobs', 'schedule create p2 --pipeline no-such-job --every day', "No pipeline job 'no-such-job' in dev. Recent pipeline jobs: taxi-training-pipeline."],
    ['a job that is not a pipeline job', 'schedule create p2 --pipeline train-taxi-model-1 --every day', "'train-taxi-model-1' in dev is a Command job, not a pipeline job."],
  ])('refuses %s and changes nothing', async (_what, text, says) => {
    const o = await bot.say('slack:U0ADMIN', text);
    expect(o.status).toBe('invalid');
    expect(o.reply.template).toBe('error');
    expect(o).toSay(says);
    expect(bot.writes()).toEqual([]);
  });

  it('suggests the nearest pipeline job', async () => {
    expect(await bot.say('slack:U0ADMIN', 'schedule create x --pipeline taxi-training-pipelin --every day')).toSay('Did you mean `taxi-training-pipeline`?');
  });

  it('suggests the nearest endpoint', async () => {
    expect(await bot.say('slack:U0ADMIN', 'schedule create x --endpoint taxi-bach --every day')).toSay('Did you mean `taxi-batch`?');
  });

  it('says which day a monthly schedule runs (today by default, or --day)', async () => {
    const today = await bot.say('slack:U0DAVE', 'schedule create monthly --endpoint taxi-batch --every month --at 06:00 --env prod');
    expect(today).toShowRow(['When', 'every month on day 2 at 06:00']);
    expect(nextRunsOf(today)[0]).toBe('Wed 2026-12-02 06:00 UTC');
    const first = await bot.say('slack:U0DAVE', 'schedule create first --endpoint taxi-batch --every month --day 1 --at 06:00 --env prod');
    expect(first).toShowRow(['When', 'every month on day 1 at 06:00']);
    expect(nextRunsOf(first)).toEqual(['Tue 2026-12-01 06:00 UTC', 'Fri 2027-01-01 06:00 UTC', 'Mon 2027-02-01 06:00 UTC']);
    expect((await bot.schedules.get('prod', 'first'))!.trigger).toMatchObject({ frequency: 'month', monthDays: [1] });
    expect(await bot.say('slack:U0DAVE', 'schedule create x --endpoint taxi-batch --every day --day 3 --env prod')).toSay('--day works only with --every month.');
    expect(await bot.say('slack:U0DAVE', 'schedule create x --endpoint taxi-batch --every month --day 32 --env prod')).toSay('--day takes a day of the month from 1 to 31');
  });

  it('will not overwrite an existing schedule', async () => {
    await bot.say('slack:U0ADMIN', 'schedule create nightly --endpoint taxi-batch --every day');
    const o = await bot.say('slack:U0ADMIN', 'schedule create nightly --endpoint churn-batch --every hour');
    expect(o.status).toBe('conflict');
    expect(o).toSay("A schedule named 'nightly' already exists in dev.");
    expect(o.reply.data).toMatchObject({ title: 'Already exists', code: 'already_exists' });
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

  it('finds a schedule of another environment for show, and names it for the others', async () => {
    const shown = await bot.say('slack:U0ADMIN', 'schedule show nightly');
    expect(shown.status).toBe('ok');
    expect(shown).toSay('Schedule nightly');
    expect(shown).toSay('found in prod, not dev');
    expect(shown).toShowRow(['Environment', 'prod']);
    const off = await bot.say('slack:U0ADMIN', 'schedule disable nightly');
    expect(off.status).toBe('not_found');
    expect(off).toSay("No schedule 'nightly' in dev. It has no schedules. A schedule 'nightly' exists in prod.");
    expect(off).toSay('Add `--env prod` to the command.');
    expect(off.reply.data).toMatchObject({ title: 'Not found' });
    expect((await bot.schedules.get('prod', 'nightly'))!.enabled).toBe(true);
  });

  it('does not log an unknown schedule as a warning with a stack', async () => {
    await bot.say('slack:U0DAVE', 'schedule show nope --env prod');
    expect(bot.log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(bot.log.text()).not.toContain('stack');
  });

  it('asks before deleting: the plan changes nothing, Delete deletes, Cancel does not', async () => {
    const plan = await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod');
    expect(plan.status).toBe('ok');
    expect(plan).toSay('Delete schedule nightly?');
    expect(plan).toSay('Nothing is deleted yet.');
    expect(await bot.schedules.get('prod', 'nightly')).not.toBeNull();
    const actions = (plan.reply.data as { actions: ActionButton[] }).actions;
    expect(actions.map((a) => a.verb)).toEqual(['confirm-schedule-delete', 'cancel-schedule-delete']);
    const core = createBotCore({
      settings: bot.settings, log: bot.log, commands: bot.commands,
      ports: { registry: bot.registry, releases: bot.releases, schedules: bot.schedules, identityAdmin: bot.identityAdmin, directory: bot.directory, store: bot.store, chat: bot.chat, clock: bot.clock },
    });
    const click = (userId: string, a: ActionButton) => core.act({ verb: a.verb, data: a.data, caller: { id: userId, platform: 'slack', displayName: USERS[userId]?.name ?? userId }, channel: 'slack:C0OPS', correlationId: 'click' });
    expect(await click('slack:U0DAVE', actions[1])).toSay('Schedule nightly in prod was not deleted. Nothing changed.');
    expect(await bot.schedules.get('prod', 'nightly')).not.toBeNull();
    // The click runs the command with the clicker's own rights.
    expect((await click('slack:U0ALICE', actions[0])).status).toBe('refused');
    expect(await bot.schedules.get('prod', 'nightly')).not.toBeNull();
    expect(await click('slack:U0DAVE', actions[0])).toSay('Schedule nightly deleted');
    expect(await bot.schedules.get('prod', 'nightly')).toBeNull();
  });

  it('deletes one with --confirm and audits it', async () => {
    const o = await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod --confirm');
    expect(o).toSay('Schedule nightly deleted');
    expect(textOf(o)).toContain('It ran batch endpoint taxi-batch every day at 02:00 (Europe/Amsterdam) in prod.');
    expect(await bot.schedules.get('prod', 'nightly')).toBeNull();
    expect((await bot.audit())[0]).toMatchObject({ action: 'schedule.deleted', env: 'prod', detail: { name: 'nightly' } });
    expect((await bot.say('slack:U0DAVE', 'schedule delete nightly --env prod --confirm')).status).toBe('not_found');
  });

  it('refuses a non-scheduler every verb', async () => {
    for (const verb of ['list', 'show nightly', 'disable nightly', 'enable nightly', 'delete nightly']) {
      expect((await bot.say('slack:U0ALICE', `schedule ${verb} --env prod`)).status).toBe('refused');
    }
    expect(tableOf(await bot.say('slack:U0DAVE', 'schedule list --env prod'))).toHaveLength(3);
  });
});
