import { expandCard } from '../../src/cards/expand';
import { createBot, seedSucceededPromotion, seedTaxiStory, type BotHarness } from '../support/bot-harness';
import { testSettings } from '../fakes/settings';

let bot: BotHarness;
afterEach(async () => { await bot.close(); });

async function start(settings = testSettings()): Promise<void> {
  bot = await createBot({ settings });
  seedTaxiStory(bot);
}

describe('compare', () => {
  beforeEach(() => start());

  it('compares the latest 5 versions, marks the best and shows the change vs prod', async () => {
    await bot.registry.tagVersion('dev', 'taxi-model', '3', { 'mlops-env-prod': '2026-10-20T10:00:00Z' });
    const o = await bot.say('slack:U0CAROL', 'compare taxi-model');
    expect(o.status).toBe('ok');
    expect(o).toShowTable([
      ['version', 'rmse', 'Δ rmse', 'mae', 'Δ mae', 'r2', 'Δ r2'],
      ['v5', '0.41 ★', '-0.03 (-6.8%)', '0.32', '-0.01 (-3%)', '0.88 ★', '+0.02 (+2.3%)'],
      ['v4', '0.45', '+0.01 (+2.3%)', '0.31 ★', '-0.02 (-6.1%)', '0.85', '-0.01 (-1.2%)'],
      ['v3 (prod)', '0.44', 'baseline', '0.33', 'baseline', '0.86', 'baseline'],
      ['v2', '0.47', '+0.03 (+6.8%)', '0.35', '+0.02 (+6.1%)', '0.84', '-0.02 (-2.3%)'],
      ['v1', '0.52', '+0.08 (+18.2%)', '0.39', '+0.06 (+18.2%)', '0.81', '-0.05 (-5.8%)'],
    ]);
    expect(o).toSay('★ best per metric (rmse, mae: lower is better; r2: higher is better). Δ vs v3, the version in prod.');
    expect(bot.registry.metricCalls).toBe(1);
    // In Teams the Version column keeps a width its labels fit in, however many metric columns share the rest.
    const table = expandCard(o.reply).body.find((e) => e.type === 'Table') as { columns: { width: unknown }[] };
    expect(table.columns[0].width).toMatch(/^\d+px$/);
    expect(Number.parseInt(String(table.columns[0].width), 10)).toBeGreaterThanOrEqual(9 * 'v3 (prod)'.length);
    expect(table.columns.slice(1).every((c) => typeof c.width === 'number')).toBe(true);
  });

  it('compares chosen versions (v-prefix allowed) and adds the prod version as the baseline row', async () => {
    await seedSucceededPromotion(bot, 'taxi-model', '2', 'prod', '2026-10-20T10:00:00.000Z');
    const o = await bot.say('slack:U0CAROL', 'compare taxi-model 4 v5 --metric rmse');
    expect(o).toShowTable([
      ['version', 'rmse', 'Δ rmse'],
      ['v4', '0.45', '-0.02 (-4.3%)'],
      ['v5', '0.41 ★', '-0.06 (-12.8%)'],
      ['v2 (prod)', '0.47', 'baseline'],
    ]);
    expect(o).toSay('v4, v5 in dev');
    expect(bot.registry.metricCalls).toBe(1);
  });

  it('has no delta columns while nothing runs in prod', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare taxi-model 1 2');
    expect(o).toShowTable([['version', 'rmse', 'mae', 'r2'], ['v1', '0.52', '0.39', '0.81'], ['v2', '0.47 ★', '0.35 ★', '0.84 ★']]);
    expect(o).toSay('No version runs in prod yet, so no delta.');
  });

  it('lists the valid versions for an unknown one', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare taxi-model 4 9');
    expect(o.status).toBe('invalid');
    expect(o).toSay("No version '9' of taxi-model in dev. Versions: 1, 2, 3, 4, 5.");
    expect(bot.registry.metricCalls).toBe(0);
  });

  it('lists the metrics for an unknown --metric', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare taxi-model --metric rsme');
    expect(o.status).toBe('invalid');
    expect(o).toSay("No metric 'rsme' on these versions. Metrics: rmse, mae, r2.");
  });

  it('lists the environments for an unknown --env, before reading anything', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare taxi-model --env prd');
    expect(o).toSay("No environment 'prd'. Environments: dev, preprod, prod.");
    expect(o).toSay('Did you mean `prod`?');
    expect(bot.calls).toEqual([]);
  });

  it('guesses the goal from the name for metrics without a guard', async () => {
    const o = await bot.say('slack:U0DAVE', 'compare churn-model');
    expect(o).toShowTable([['version', 'accuracy', 'auc'], ['v1', '0.91', '0.95']]);
    expect(o).toSay('accuracy, auc: higher is better');
  });
});

describe('compare with a guard', () => {
  it("uses the guard's goal for the guard metric", async () => {
    const settings = testSettings();
    settings.environments[2].guard = { metric: 'r2', goal: 'minimize', tolerance: 0.02 };
    settings.environments[1].guard = undefined;
    await start(settings);
    const o = await bot.say('slack:U0DAVE', 'compare taxi-model 1 5 --metric r2');
    expect(o).toShowTable([['version', 'r2'], ['v1', '0.81 ★'], ['v5', '0.88']]);
    expect(o).toSay('r2: lower is better');
  });
});
