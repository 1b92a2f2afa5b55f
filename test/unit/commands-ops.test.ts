import type { JobInfo } from '../../src/core/models';
import { createBot, seedTaxiStory, type BotHarness } from '../support/bot-harness';
import { sqliteFileHarness } from '../support/store';

let bot: BotHarness;
afterEach(async () => { await bot.close(); });

describe('releases', () => {
  beforeEach(async () => {
    bot = await createBot();
    seedTaxiStory(bot);
  });

  it('says when there are none', async () => {
    const o = await bot.say('slack:U0DAVE', 'releases');
    expect(o.status).toBe('ok');
    expect(o).toSay('No releases found.');
  });

  it('lists releases newest first with their stages, narrowed by model and environment', async () => {
    await bot.releases.start({ env: 'preprod', model: 'taxi-model', version: '4', requestId: 'PR-A', description: '' });
    await bot.releases.start({ env: 'prod', model: 'taxi-model', version: '5', requestId: 'PR-B', description: '' });
    await bot.releases.start({ env: 'prod', model: 'churn-model', version: '1', requestId: 'PR-C', description: '' });
    expect(await bot.say('slack:U0DAVE', 'releases')).toShowTable([
      ['release', 'model', 'stages', 'created'],
      ['Release-3', 'churn-model v1', 'prod: awaiting approval', '—'],
      ['Release-2', 'taxi-model v5', 'prod: awaiting approval', '—'],
      ['Release-1', 'taxi-model v4', 'preprod: deploying', '—'],
    ]);
    const narrowed = await bot.say('slack:U0DAVE', 'releases taxi-model --env prod');
    expect(narrowed).toShowTable([['release', 'model', 'stages', 'created'], ['Release-2', 'taxi-model v5', 'prod: awaiting approval', '—']]);
    expect(narrowed).toSay('Releases of taxi-model to prod');
  });

  it('lists the models for an unknown one', async () => {
    const o = await bot.say('slack:U0DAVE', 'releases taxi');
    expect(o.status).toBe('invalid');
    expect(o).toSay("No model 'taxi' in dev. Models: churn-model, taxi-model.");
    expect(bot.calls.map((c) => `${c.port}.${c.method}`)).not.toContain('releases.list');
  });
});

describe('runs', () => {
  const job = (name: string, state: JobInfo['state'], hoursAgo: number, experimentName = 'taxi-training'): JobInfo => ({
    name, state, status: state.charAt(0).toUpperCase() + state.slice(1), experimentName,
    createdAt: new Date(Date.parse('2026-11-02T09:00:00Z') - hoursAgo * 3_600_000),
  });

  beforeEach(async () => {
    bot = await createBot();
    bot.registry.addJob('dev', job('train-1', 'completed', 2)).addJob('dev', job('train-2', 'failed', 30));
    bot.registry.addJob('prod', job('score-1', 'failed', 1, 'taxi-batch')).addJob('prod', job('score-0', 'completed', 50, 'taxi-batch'));
  });

  it('shows the last 24h of every environment, newest first', async () => {
    expect(await bot.say('slack:U0DAVE', 'runs')).toShowTable([
      ['name', 'experiment', 'status', 'created'],
      ['score-1', 'taxi-batch (prod)', 'Failed', '2026-11-02 08:00 UTC'],
      ['train-1', 'taxi-training (dev)', 'Completed', '2026-11-02 07:00 UTC'],
    ]);
  });

  it('narrows to failed runs over a longer window in one environment', async () => {
    const o = await bot.say('slack:U0DAVE', 'runs --failed --since 7d --env dev');
    expect(o).toShowTable([['name', 'experiment', 'status', 'created'], ['train-2', 'taxi-training', 'Failed', '2026-11-01 03:00 UTC']]);
    expect(o).toSay('Failed runs in dev');
    expect(o).toSay('1 failed run in the last 7d.');
  });

  it('shows the display name and, for a failed job, the first line of its error', async () => {
    bot.registry.addJob('dev', { ...job('clever_lemon_2l13', 'failed', 3), displayName: 'train-taxi-model-2', error: 'UserError: CUDA out of memory\n  at train.py:42' });
    const o = await bot.say('slack:U0DAVE', 'runs --failed --env dev');
    expect(o).toShowTable([['name', 'experiment', 'status', 'created'], ['train-taxi-model-2', 'taxi-training', 'Failed: UserError: CUDA out of memory', '2026-11-02 06:00 UTC']]);
  });

  it('refuses a window that is not a duration, reading nothing', async () => {
    const o = await bot.say('slack:U0DAVE', 'runs --since yesterday');
    expect(o.status).toBe('invalid');
    expect(o).toSay("'yesterday' is not a duration for --since.");
    expect(o).toSay('24h, 7d');
    expect(bot.calls).toEqual([]);
  });
});

describe('audit', () => {
  let dispose: () => Promise<void>;
  let sql: (text: string, params?: unknown[]) => Promise<unknown>;

  beforeEach(async () => {
    const h = await sqliteFileHarness()();
    dispose = h.dispose;
    sql = h.sql;
    bot = await createBot({ store: h.store });
    h.clock.set('2026-10-01T09:00:00Z');
    await h.store.appendAudit([{ action: 'promotion.requested', actor: 'slack:U0DAVE', env: 'preprod', model: 'taxi-model', requestId: 'PR-OLD', detail: { version: '3' } }]);
    h.clock.set('2026-11-01T09:00:00Z');
    await h.store.appendAudit([
      { action: 'promotion.requested', actor: 'slack:U0DAVE', env: 'prod', model: 'taxi-model', requestId: 'PR-1', detail: { version: '5' } },
      { action: 'promotion.approved', actor: 'slack:U0ALICE', env: 'prod', model: 'taxi-model', requestId: 'PR-1', detail: { version: '5' } },
      { action: 'sp.created', actor: 'slack:U0ADMIN', env: 'prod', detail: { project: 'taxi' } },
    ]);
  });
  afterEach(async () => { await dispose(); });

  it('lists the last 7 days newest first', async () => {
    expect(await bot.say('slack:U0DAVE', 'audit')).toShowTable([
      ['seq', 'at', 'actor', 'action', 'subject'],
      ['#4', '2026-11-01 09:00 UTC', 'slack:U0ADMIN', 'sp.created', '→ prod'],
      ['#3', '2026-11-01 09:00 UTC', 'slack:U0ALICE', 'promotion.approved', 'taxi-model v5 → prod PR-1'],
      ['#2', '2026-11-01 09:00 UTC', 'slack:U0DAVE', 'promotion.requested', 'taxi-model v5 → prod PR-1'],
    ]);
  });

  it('narrows by model, environment and window', async () => {
    const o = await bot.say('slack:U0DAVE', 'audit --model taxi-model --env preprod --since 60d');
    expect(o).toShowTable([['seq', 'at', 'actor', 'action', 'subject'], ['#1', '2026-10-01 09:00 UTC', 'slack:U0DAVE', 'promotion.requested', 'taxi-model v3 → preprod PR-OLD']]);
    expect(o).toSay('Audit trail: taxi-model in preprod');
  });

  it('verifies the chain, and finds an altered entry', async () => {
    expect(await bot.say('slack:U0DAVE', 'audit verify')).toSay('Chain intact: 4 entries checked.');
    await sql('UPDATE audit_log SET actor = ? WHERE seq = ?', ['slack:U0MALLORY', 3]);
    const o = await bot.say('slack:U0DAVE', 'audit verify');
    expect(o).toSay('Audit chain BROKEN');
    expect(o).toSay('Chain broken at entry #3');
    expect(o.status).toBe('failed');
  });

  it('finds the newest entries deleted, against the head anchored outside the log', async () => {
    await sql('DELETE FROM audit_log WHERE seq >= ?', [3]);
    const o = await bot.say('slack:U0DAVE', 'audit verify');
    expect(o.status).toBe('failed');
    expect(o).toSay('Chain broken at entry #3: entries 3 to 4 are missing: the newest entries were deleted');
  });

  it('a deleted entry is not papered over by the next append: the chain keeps counting from the anchor', async () => {
    await sql('DELETE FROM audit_log WHERE seq = ?', [4]);
    await bot.say('slack:U0ADMIN', 'sp create taxi dev --confirm');
    const o = await bot.say('slack:U0DAVE', 'audit verify');
    expect(o.status).toBe('failed');
    expect(o).toSay('entry 4 is missing (next entry found is 5)');
  });
});
