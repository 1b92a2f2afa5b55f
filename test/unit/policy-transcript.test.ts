/**
 * Rules per model, freezes, break glass and guard overrides (DESIGN §9.1, §9.5), as the chat reads:
 * commands through the real dispatcher, the real store, the outbox worker running the effects and
 * the release poll following Azure DevOps (a fake shaped like it).
 */
import { OutboxWorker } from '../../src/core/outbox/worker';
import { checkFreeze } from '../../src/core/policy/freeze-check';
import { currentFreeze } from '../../src/core/policy/freezes';
import { pollReleases, promotionEffectHandlers } from '../../src/core/promotion/effects';
import { PromotionService } from '../../src/core/promotion/service';
import type { ModelRule } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';
import { createBot, textOf, type BotHarness } from '../support/bot-harness';

const HOUR = 3_600_000;
const vars = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const RULES: ModelRule[] = [
  {
    match: 'taxi-fare-classifier', index: 0,
    guard: { metric: 'auc', goal: 'maximize', tolerance: 0.01 },
    release: { prod: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', stage: 'DeployProd', variables: vars } },
  },
  { match: 'taxi-*', index: 1, guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 } },
];

async function rig(): Promise<BotHarness & { run(): Promise<void>; id(out: { requestId?: string }): string }> {
  const bot = await createBot({ settings: testSettings({ models: RULES }) });
  const { store, registry, directory, clock, settings, chat, releases } = bot;
  const service = new PromotionService({ store, registry, directory, clock, settings });
  const worker = new OutboxWorker({ store, handlers: promotionEffectHandlers({ service, store, chat, releases, registry }), clock, log: bot.log });
  registry
    .addVersion('dev', { name: 'taxi-model', version: '4', tags: { 'mlops-env-preprod': '2026-10-01T00:00:00.000Z', 'mlops-env-prod': '2026-10-02T00:00:00.000Z' } }, { rmse: 0.5 })
    .addVersion('dev', { name: 'taxi-model', version: '5', tags: { 'mlops-env-preprod': '2026-10-20T00:00:00.000Z' } }, { rmse: 0.49 })
    .addVersion('dev', { name: 'taxi-model', version: '6', tags: { 'mlops-env-preprod': '2026-10-21T00:00:00.000Z' } }, { rmse: 0.6 })
    .addVersion('dev', { name: 'taxi-fare-classifier', version: '1', tags: { 'mlops-env-preprod': '2026-10-05T00:00:00.000Z', 'mlops-env-prod': '2026-10-06T00:00:00.000Z' } }, { accuracy: 0.81, f1: 0.78, auc: 0.9 })
    .addVersion('dev', { name: 'taxi-fare-classifier', version: '2' }, { accuracy: 0.84, f1: 0.8, auc: 0.93 })
    .addVersion('dev', { name: 'taxi-fare-classifier', version: '3' }, { accuracy: 0.85, f1: 0.81 });
  /** Effects, then Azure DevOps followed, then effects again: what the background loops do. */
  const run = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      while ((await worker.runOnce()) > 0);
      await pollReleases({ service, store, releases });
    }
    while ((await worker.runOnce()) > 0);
  };
  return Object.assign(bot, { run, id: (out: { requestId?: string }) => out.requestId! });
}

describe('rules per model', () => {
  it('promotes the classifier on auc, released to prod by its rule\'s pipeline', async () => {
    const bot = await rig();
    const pre = await bot.say('slack:U0DAVE', 'promote taxi-fare-classifier preprod --version 2');
    expect(pre.status).toBe('ok');
    expect(pre).toSay('passed — auc 0.93 vs 0.9 (v1 in preprod): 3.3% better (rule models[0] "taxi-fare-classifier")');
    expect(pre).toSay('models[0] "taxi-fare-classifier"');
    await bot.run();
    bot.releases.finish(1, 'succeeded');
    await bot.run();
    expect((await bot.store.getRequest(bot.id(pre)))!.state).toBe('succeeded');

    const prod = await bot.say('slack:U0DAVE', 'promote taxi-fare-classifier prod --version 2 --reason "better auc"');
    expect(prod).toSay('passed — auc 0.93 vs 0.9 (v1 in prod): 3.3% better');
    expect(prod).toSay('auc (maximize, tolerance 1%)');
    expect(prod).toSay('Awaiting approval (0 of 1)');
    await bot.run();
    // The rule's release: the model reaches Azure DevOps with its own name, for the prod pipeline.
    expect(bot.releases.releases[1].input).toMatchObject({ env: 'prod', model: 'taxi-fare-classifier', version: '2' });
    const ok = await bot.say('slack:U0ALICE', `approve ${bot.id(prod)} auc up`);
    expect(ok.status).toBe('ok');
    await bot.run();
    bot.releases.finish(2, 'succeeded');
    await bot.run();
    expect((await bot.store.getRequest(bot.id(prod)))!.state).toBe('succeeded');
    await bot.close();
  });

  it('refuses a version whose run lacks the rule\'s metric, naming the metric and the rule', async () => {
    const bot = await rig();
    const out = await bot.say('slack:U0DAVE', 'promote taxi-fare-classifier preprod --version 3');
    expect(out.status).toBe('refused');
    expect(out).toSay('v3 has no auc metric, which the guard of rule models[0] "taxi-fare-classifier" needs');
    await bot.close();
  });

  it('help promote and whoami say which rule applies to which models', async () => {
    const bot = await rig();
    const help = await bot.say('slack:U0DAVE', 'help promote');
    expect(help).toSay('models[0] "taxi-fare-classifier": guard auc (maximize, tolerance 1%), prod pipeline deploy-online-endpoint-pipeline (prod)');
    expect(help).toSay('models[1] "taxi-*": guard rmse (minimize, tolerance 2%)');
    const me = await bot.say('slack:U0DAVE', 'whoami');
    expect(me).toSay(/Model rules.*any other model: its environment's settings/s);
    await bot.close();
  });
});

describe('freezes', () => {
  it('a freeze refuses a promotion with its reason and end, the dry run says so, a rollback is allowed', async () => {
    const bot = await rig();
    expect((await bot.say('slack:U0DAVE', 'freeze prod --for 4h --reason "incident 4711"')).status).toBe('refused');
    const frozen = await bot.say('slack:U0ADMIN', 'freeze prod --for 4h --reason "incident 4711"');
    expect(frozen).toSay('prod is frozen until 2026-11-02 13:00 UTC: incident 4711');
    for (const text of ['promote taxi-model prod --version 5', 'promote taxi-model prod --version 5 --dry-run']) {
      const out = await bot.say('slack:U0DAVE', text);
      expect(out.status).toBe('refused');
      expect(out).toSay('Promotions to prod are frozen until 2026-11-02 13:00 UTC: incident 4711 (frozen by Ada Admin).');
    }
    expect(await bot.store.listRequests({})).toEqual([]);
    // Rollback is not a command yet: the policy every deploying command asks answers for it.
    const freeze = await currentFreeze(bot, 'prod', bot.clock.now());
    expect(checkFreeze('rollback', freeze)).toMatchObject({ allowed: true, note: expect.stringContaining('a rollback is allowed') });
    expect(checkFreeze('rollout', freeze)).toMatchObject({ allowed: false, message: expect.stringContaining('Rollouts to prod are frozen') });
    // Everyone sees it; preprod stays open.
    const list = await bot.say('slack:U0DAVE', 'freezes');
    expect(list).toShowRow(['prod', 'now → 2026-11-02 13:00 UTC', 'incident 4711', 'Ada Admin (freeze)']);
    expect((await bot.say('slack:U0DAVE', 'promote taxi-model preprod --version 5')).status).toBe('ok');
    // Freeze and unfreeze reach the audit trail and the prod audit channel.
    expect((await bot.say('slack:U0ADMIN', 'unfreeze prod')).status).toBe('ok');
    expect((await bot.audit()).map((a) => a.action)).toEqual(expect.arrayContaining(['freeze.started', 'freeze.ended']));
    await bot.run();
    const auditPosts = bot.chat.inChannel('slack:C0AUDIT').map((p) => textOf({ status: 'ok', visibility: 'public', reply: p.message }));
    expect(auditPosts.join('\n')).toMatch(/freeze\.started[\s\S]*freeze\.ended/);
    expect((await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5')).status).toBe('ok');
    await bot.close();
  });

  it('break glass needs two approvals where one was needed, and marks the card', async () => {
    const bot = await rig();
    await bot.say('slack:U0ADMIN', 'freeze prod --for 1d --reason "quarter close"');
    const noReason = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5 --break-glass');
    expect(noReason).toMatchObject({ status: 'invalid' });
    expect(noReason).toSay('--break-glass needs a reason');
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5 --break-glass --reason "hotfix for incident 4711"');
    expect(out).toSay('BREAK GLASS: Promote taxi-model v5 to prod');
    expect(out).toSay('Awaiting approval (0 of 2)');
    expect(out).toSay('prod is frozen until 2026-11-03 09:00 UTC: quarter close — hotfix for incident 4711 (one approval more)');
    const id = bot.id(out);
    expect((await bot.say('slack:U0ALICE', `approve ${id}`)).status).toBe('ok');
    await bot.run();
    expect((await bot.store.getRequest(id))!.state).toBe('awaiting_approval');
    expect(bot.releases.decisions).toEqual([]);
    expect((await bot.say('slack:U0CAROL', `approve ${id}`)).status).toBe('ok');
    await bot.run();
    expect(bot.releases.decisions).toHaveLength(1);
    expect((await bot.audit()).some((a) => a.action === 'promotion.break_glass' && a.detail.reason === 'hotfix for incident 4711')).toBe(true);
    await bot.close();
  });

  it('break glass without a freeze is refused and changes nothing', async () => {
    const bot = await rig();
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5 --break-glass --reason "just in case"');
    expect(out.status).toBe('invalid');
    expect(out).toSay('prod is not frozen, so there is no glass to break.');
    expect(await bot.store.listRequests({})).toEqual([]);
    await bot.close();
  });

  it('a request waiting when a freeze starts cannot release until it ends; the card says so', async () => {
    const bot = await rig();
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5');
    const id = bot.id(out);
    await bot.run();
    await bot.say('slack:U0ADMIN', 'freeze prod --for 2h --reason "incident 4711"');
    expect((await bot.store.getRequest(id))!.heldBy).toMatchObject({ until: '2026-11-02 11:00 UTC' });
    expect((await bot.say('slack:U0ALICE', `approve ${id}`))).toSay('cannot release until 2026-11-02 11:00 UTC: incident 4711');
    await bot.run();
    expect((await bot.store.getRequest(id))!).toMatchObject({ state: 'approved', heldBy: expect.anything() });
    expect(bot.releases.decisions).toEqual([]);
    bot.clock.advance(2 * HOUR);
    const service = new PromotionService({ store: bot.store, registry: bot.registry, directory: bot.directory, clock: bot.clock, settings: bot.settings });
    await service.tick();
    await bot.run();
    expect(bot.releases.decisions).toEqual([expect.objectContaining({ decision: 'approved' })]);
    expect((await bot.store.getRequest(id))!.heldBy).toBeUndefined();
    expect((await bot.audit()).map((a) => a.action)).toEqual(expect.arrayContaining(['promotion.held', 'promotion.freeze_over', 'freeze.ended']));
    await bot.close();
  });
});

describe('guard override', () => {
  it('sends a regressing version to approval with one approval more; one approver fewer keeps it waiting', async () => {
    const bot = await rig();
    const blocked = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 6');
    expect(blocked.status).toBe('refused');
    expect(blocked).toSay('failed — rmse 0.6 vs 0.5 (v4 in prod): 20% worse, beyond the 2% tolerance (rule models[1] "taxi-*")');
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 6 --override-guard --reason "fairness fix"');
    expect(out.status).toBe('ok');
    expect(out).toSay('Awaiting approval (0 of 2)');
    // The regression comes first on the card.
    const facts = (out.reply.data as { facts: { title: string; value: string }[] }).facts;
    expect(facts[0]).toEqual({ title: 'Guard overridden', value: expect.stringMatching(/^rmse 0\.6 vs 0\.5 \(v4 in prod\): 20% worse, beyond the 2% tolerance — fairness fix/) });
    await bot.say('slack:U0ALICE', `approve ${bot.id(out)}`);
    await bot.run();
    expect((await bot.store.getRequest(bot.id(out)))!).toMatchObject({ state: 'awaiting_approval', approvals: [expect.anything()] });
    expect(bot.releases.decisions).toEqual([]);
    expect((await bot.audit()).find((a) => a.action === 'promotion.guard_overridden')).toMatchObject({ actor: 'slack:U0DAVE', detail: { reason: 'fairness fix' } });
    await bot.close();
  });

  it('asks the admins where the environment needs no approval', async () => {
    const bot = await rig();
    bot.registry.addVersion('dev', { name: 'taxi-model', version: '7' }, { rmse: 0.7 });
    const pre = await bot.say('slack:U0DAVE', 'promote taxi-model preprod --version 7');
    expect(pre.status).toBe('refused');
    expect(pre).toSay('Blocked: rmse 0.7 vs 0.6 (v6 in preprod)');
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model preprod --version 7 --override-guard --reason "needed for the demo"');
    expect(out).toSay('Awaiting approval (0 of 1)');
    expect((await bot.say('slack:U0ALICE', `approve ${bot.id(out)}`)).status).toBe('refused');
    expect((await bot.say('slack:U0ADMIN', `approve ${bot.id(out)}`)).status).toBe('ok');
    await bot.run();
    expect(bot.releases.releases.map((r) => r.input.version)).toEqual(['7']);
    await bot.close();
  });

  it('refuses an override the guard does not need', async () => {
    const bot = await rig();
    const out = await bot.say('slack:U0DAVE', 'promote taxi-model prod --version 5 --override-guard --reason "to be sure"');
    expect(out.status).toBe('invalid');
    expect(out).toSay('The guard passes');
    expect(await bot.store.listRequests({})).toEqual([]);
    await bot.close();
  });
});
