import { createBot, seedSucceededPromotion, seedTaxiStory, type BotHarness } from '../support/bot-harness';

let bot: BotHarness;
beforeEach(async () => {
  bot = await createBot();
  seedTaxiStory(bot);
});
afterEach(async () => { await bot.close(); });

const tagPlacement = (version: string, env: string, at: string): Promise<void> =>
  bot.registry.tagVersion('dev', 'taxi-model', version, { [`mlops-env-${env}`]: at });

describe('models', () => {
  it('lists the source workspace with latest version and where versions run (tags as fallback)', async () => {
    await tagPlacement('3', 'prod', '2026-10-20T10:00:00Z');
    await tagPlacement('4', 'preprod', '2026-10-21T10:00:00Z');
    const o = await bot.say('slack:U0DAVE', 'models');
    expect(o.status).toBe('ok');
    expect(o).toShowTable([
      ['name', 'latest', 'environments', 'updated'],
      ['churn-model', 'v1', '—', '32d ago'],
      ['taxi-model', 'v5', 'preprod v4* · prod v3*', '28d ago'],
    ]);
    expect(o).toSay('Models in dev');
  });

  it("prefers the bot's own history over tags, newest promotion per environment", async () => {
    await tagPlacement('3', 'prod', '2026-10-20T10:00:00Z');
    await seedSucceededPromotion(bot, 'taxi-model', '2', 'prod', '2026-10-10T10:00:00.000Z');
    await seedSucceededPromotion(bot, 'taxi-model', '4', 'prod', '2026-10-25T10:00:00.000Z');
    await seedSucceededPromotion(bot, 'taxi-model', '5', 'dev', '2026-10-26T10:00:00.000Z');
    expect(await bot.say('slack:U0DAVE', 'models taxi')).toShowRow(['taxi-model', 'v5', 'dev v5* · prod v4*', '28d ago']);
  });

  it('reads the newest versions of each shown model once, and never every page of the registry', async () => {
    for (const env of ['dev', 'preprod', 'prod']) await seedSucceededPromotion(bot, 'taxi-model', '5', env, '2026-10-26T10:00:00.000Z');
    await bot.say('slack:U0DAVE', 'models');
    const registryCalls = bot.calls.filter((c) => c.port === 'registry').map((c) => c.method).sort();
    expect(registryCalls).toEqual(['pageModels', 'recentVersions', 'recentVersions']);
  });

  it('--env lists the models that run in that environment though none is registered there (defect 14)', async () => {
    await seedSucceededPromotion(bot, 'taxi-model', '5', 'prod', '2026-10-26T10:00:00.000Z');
    const o = await bot.say('slack:U0DAVE', 'models --env prod');
    expect(o).not.toSay('No models registered yet');
    expect(o).toShowRow(['taxi-model', 'v5', 'prod v5*', '28d ago']);
  });

  it('pages long lists and says how many there are in all', async () => {
    for (let i = 0; i < 45; i++) bot.registry.addVersion('dev', { name: `fleet-${String(i).padStart(2, '0')}`, version: '1' });
    const first = await bot.say('slack:U0DAVE', 'models');
    expect(first).toSay('47 models; page 1 of 3 (1–20); `models --page 2` for more');
    expect(first.reply.data).toMatchObject({ actions: [{ verb: 'more', title: 'More', data: { command: 'models --page 2' } }] });
    const last = await bot.say('slack:U0DAVE', 'models --page 3');
    expect(last).toShowRow(['taxi-model', 'v5', '—', '28d ago']);
    expect((last.reply.data as { actions: unknown[] }).actions).toEqual([]);
    const beyond = await bot.say('slack:U0DAVE', 'models --page 4');
    expect(beyond.status).toBe('invalid');
    expect(beyond).toSay('There are only 3 pages.');
  });

  it('filters by substring or wildcard, and says when nothing matches', async () => {
    expect(await bot.say('slack:U0DAVE', 'models CHURN')).toShowTable([['name', 'latest', 'environments', 'updated'], ['churn-model', 'v1', '—', '32d ago']]);
    expect(await bot.say('slack:U0DAVE', 'models *-model')).toSay('2 models matching');
    const none = await bot.say('slack:U0DAVE', 'models fraud');
    expect(none.status).toBe('ok');
    expect(none).toSay("No model matches 'fraud' (2 models in all).");
  });

  it('lists another workspace with --env', async () => {
    bot.registry.addVersion('prod', { name: 'taxi-model', version: '3' });
    const o = await bot.say('slack:U0DAVE', 'models --env PROD');
    expect(o).toSay('Models in prod');
    expect(o).toShowRow(['taxi-model', 'v3', '—', '30d ago']);
  });
});

describe('model', () => {
  it('shows versions with metrics, user tags and environments, fetching metrics once', async () => {
    await tagPlacement('3', 'prod', '2026-10-20T10:00:00Z');
    await bot.registry.tagVersion('dev', 'taxi-model', '5', { stage: 'candidate', reviewed: '' });
    const o = await bot.say('slack:U0CAROL', 'model taxi-model');
    expect(o).toShowTable([
      ['version', 'created', 'metrics', 'tags', 'environments'],
      ['v5', '2026-10-05 00:00 UTC', 'rmse 0.41 · mae 0.32 · r2 0.88', 'reviewed, stage=candidate', '—'],
      ['v4', '2026-10-04 00:00 UTC', 'rmse 0.45 · mae 0.31 · r2 0.85', '—', '—'],
      ['v3', '2026-10-03 00:00 UTC', 'rmse 0.44 · mae 0.33 · r2 0.86', '—', 'prod'],
      ['v2', '2026-10-02 00:00 UTC', 'rmse 0.47 · mae 0.35 · r2 0.84', '—', '—'],
      ['v1', '2026-10-01 00:00 UTC', 'rmse 0.52 · mae 0.39 · r2 0.81', '—', '—'],
    ]);
    expect(o).toSay('5 versions in dev');
    expect(o).toSay('prod v3');
    expect(bot.registry.metricCalls).toBe(1);
  });

  it('names the valid models for an unknown one, with the nearest', async () => {
    const o = await bot.say('slack:U0DAVE', 'model taxi-modle');
    expect(o.status).toBe('invalid');
    expect(o.reply.template).toBe('error');
    expect(o).toSay("No model 'taxi-modle' in dev. Models: churn-model, taxi-model.");
    expect(o).toSay('Did you mean `taxi-model`?');
  });

  it('asks for the model name with the usage line', async () => {
    const o = await bot.say('slack:U0DAVE', 'model');
    expect(o.status).toBe('invalid');
    expect(o).toSay('Usage: model <name> [--env E]');
    expect(bot.calls).toEqual([]);
  });
});
