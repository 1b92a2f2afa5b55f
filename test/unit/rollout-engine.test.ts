/**
 * The rollout engine on a real store and the real outbox, with a fake LiveMetrics: a good version
 * reaches 100% one step at a time, a breach sets the canary back to 0% and says why, missing figures
 * wait and then pause visibly, a deployment gone stops it, and each traffic change happens once.
 */
import { checkDueRollouts } from '../../src/core/rollout/driver';
import type { NoticeView, RolloutView } from '../../src/core/cards/views';
import { BotError } from '../../src/core/errors';
import { alice, carol, rolloutRig, type RolloutRig } from './rollout-support';

let rig: RolloutRig;
beforeEach(async () => { rig = await rolloutRig(); });
afterEach(async () => { await rig.store.close(); });

const start = (over: Partial<Parameters<RolloutRig['service']['start']>[0]> = {}) =>
  rig.service.start({ caller: alice, model: 'taxi-model', env: 'prod', channel: 'slack:C0OPS', ...over });

const traffic = () => rig.serving.traffic('prod', 'taxi-online');
const lastCard = (): RolloutView => rig.chat.updates.at(-1)!.message.data as RolloutView;
const alerts = () => rig.chat.inChannel('slack:C0ALERTS').map((p) => (p.message.data as NoticeView).text);

describe('a rollout that goes well', () => {
  it('moves 10% → 50% → 100% after a passing check each, every change once, with its card following it', async () => {
    const { rollout } = await start();
    expect(rollout).toMatchObject({ canary: 'green', baseline: 'blue', version: '5', baselineVersion: '3', steps: [10, 50, 100], everyMs: 30_000, policySource: 'models[1] "taxi-*"' });
    await rig.drain();
    expect(traffic()).toEqual({ blue: 90, green: 10 });
    expect(rig.chat.inChannel('slack:C0OPS').map((p) => p.message.template)).toEqual(['rollout']);
    rig.healthy();

    await rig.tick(10_000); // not due yet
    expect(rig.serving.puts).toHaveLength(1);
    await rig.tick(20_000);
    expect(traffic()).toEqual({ blue: 50, green: 50 });
    // The window measured the last interval at 10%, from when the step was applied.
    expect(rig.metrics.calls[0]).toMatchObject({ deployments: ['green', 'blue'], from: '2026-12-05T10:00:00.010Z' });
    await rig.tick(30_000);
    await rig.tick(30_000); // nothing is left to check
    const done = await rig.get(rollout.id);
    expect(done).toMatchObject({ status: 'succeeded', stepIndex: 2 });
    expect(rig.serving.puts).toEqual([{ blue: 90, green: 10 }, { blue: 50, green: 50 }, { blue: 0, green: 100 }]);
    expect(done.checks.map((c) => `${c.percent}% ${c.verdict}`)).toEqual(['10% pass', '50% pass']);
    expect(lastCard()).toMatchObject({ stateLabel: 'Done: 100% of traffic', actions: [], steps: [{ state: 'done' }, { state: 'done' }, { state: 'done' }] });
    expect(lastCard().series.map((s) => [s.percent, s.canaryErrorRate, s.baselineP95Ms])).toEqual([[10, 0, 100], [50, 0, 100]]);
    expect(alerts()).toEqual([expect.stringContaining('taxi-model v5 serves 100% of taxi-online in prod')]);
    const audit = (await rig.store.listAudit({ requestId: rollout.id })).map((a) => a.action).reverse();
    expect(audit).toEqual(['rollout.started', 'rollout.step', 'rollout.step', 'rollout.succeeded']);
  });

  it('two timers deciding the same due check (two replicas) move traffic once', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.healthy();
    rig.clock.advance(30_000);
    const deps = { engine: rig.engine, serving: rig.serving, liveMetrics: rig.metrics };
    const decided = await Promise.all([checkDueRollouts(deps), checkDueRollouts(deps)]);
    expect(decided.reduce((a, b) => a + b, 0)).toBe(1);
    await rig.drain();
    await rig.drain();
    expect(rig.serving.puts).toEqual([{ blue: 90, green: 10 }, { blue: 50, green: 50 }]);
    expect((await rig.get(rollout.id)).checks).toHaveLength(1);
  });
});

describe('a rollout that goes wrong', () => {
  it('a breach at the first check sets the canary back to 0%, says which figure broke which threshold, audits and notifies', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.metrics.set('green', { requests: 200, errors5xx: 16, latencyP95Ms: 105 });
    rig.metrics.set('blue', { requests: 1800, errors5xx: 2, latencyP95Ms: 100 });
    await rig.tick(30_000);
    expect(traffic()).toEqual({ blue: 100, green: 0 });
    const r = await rig.get(rollout.id);
    expect(r).toMatchObject({ status: 'rolled_back', back: { state: 'done' }, stepIndex: 0 });
    const why = 'Rolled back at 10%: error rate of green 8% (16 of 200 requests answered 5xx) is above the 1% allowed. green is set back to 0%, blue takes 100%.';
    expect(r.outcome).toBe(why);
    expect(alerts()).toEqual([why]);
    expect(lastCard()).toMatchObject({ stateLabel: 'Rolled back', outcome: why, actions: [], check: [{ figure: 'Requests' }, { figure: 'Error rate (5xx)', canary: '8%', limit: '≤ 1%', verdict: 'over' }, { figure: 'p95 latency', verdict: 'ok' }] });
    const audit = await rig.store.listAudit({ requestId: rollout.id });
    expect(audit.map((a) => a.action).reverse()).toEqual(['rollout.started', 'rollout.step', 'rollout.rolled_back', 'rollout.traffic_restored']);
    expect(audit.find((a) => a.action === 'rollout.rolled_back')!.detail).toMatchObject({ canary: { errorRate: 0.08 }, thresholds: { maxErrorRate: 0.01 } });
    // The card's buttons are gone and nothing more happens.
    await rig.tick(60_000);
    expect(rig.serving.puts).toEqual([{ blue: 90, green: 10 }, { blue: 100, green: 0 }]);
  });

  it('missing figures wait; after 3 empty checks it pauses visibly, and resume checks again at once', async () => {
    const { rollout } = await start();
    await rig.drain();
    await rig.tick(30_000);
    expect(lastCard().notice).toBe('No figures to judge by yet (no requests of canary green were counted); check 1 of 3 before it pauses.');
    rig.metrics.failNext.push(new Error('Azure Monitor answered 503'));
    await rig.tick(30_000);
    await rig.tick(30_000);
    const r = await rig.get(rollout.id);
    expect(r.status).toBe('paused');
    expect(r.pauseReason).toContain('No figures to judge by in 3 checks in a row');
    expect(r.checks[1].reasons).toEqual(['the live figures could not be read: Azure Monitor answered 503']);
    expect(traffic()).toEqual({ blue: 90, green: 10 });
    expect(alerts()).toEqual([r.pauseReason]);
    expect(lastCard().actions.map((a) => a.title)).toEqual(['Resume', 'Abort']);

    rig.healthy();
    await rig.service.control('resume', rollout.id, alice);
    await rig.tick(0);
    expect(traffic()).toEqual({ blue: 50, green: 50 });
  });

  it('a deployment gone stops the rollout with the reason and changes no traffic', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.healthy();
    rig.serving.removeDeployment('prod', 'taxi-online', 'green');
    await rig.tick(30_000);
    const r = await rig.get(rollout.id);
    expect(r).toMatchObject({ status: 'failed' });
    expect(r.outcome).toBe('Stopped at 10%: deployment green is gone from the endpoint. The bot changed no traffic; see what serves with: traffic taxi-online prod');
    expect(rig.serving.puts).toHaveLength(1);
  });

  it('traffic changed by hand (a rollback) stops the rollout before it sends more traffic to the canary', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.healthy();
    await rig.serving.setTraffic('prod', 'taxi-online', { blue: 100, green: 0 });
    await rig.tick(30_000);
    expect(await rig.get(rollout.id)).toMatchObject({ status: 'failed', outcome: expect.stringContaining('Stopped at 10%: the traffic was changed outside this rollout (now blue 100%, green 0%; the rollout set green to 10%)') });
    expect(traffic()).toEqual({ blue: 100, green: 0 });
  });

  it('a traffic change Azure refuses pauses the rollout with a way to retry; resume asks again under a new key', async () => {
    rig.serving.failTraffic.push(new BotError('upstream_invalid', 'the endpoint is being updated by another operation.'));
    const { rollout } = await start();
    await rig.drain();
    const r = await rig.get(rollout.id);
    expect(r.status).toBe('paused');
    expect(r.pauseReason).toBe('The traffic change to 10% failed: the endpoint is being updated by another operation. Resume to try again, or abort to set green back to 0%.');
    await rig.service.control('resume', rollout.id, alice);
    await rig.drain();
    expect(traffic()).toEqual({ blue: 90, green: 10 });
    expect((await rig.store.getEffect(`rollout:${rollout.id}:step:0:retry1`))!.status).toBe('done');
  });
});

describe('pause, resume and abort', () => {
  it('pause holds it (no check runs), resume goes on, abort sets the canary back to 0%', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.healthy();
    expect((await rig.service.control('pause', rollout.id, carol)).changed).toBe(true);
    expect((await rig.service.control('pause', rollout.id, carol)).changed).toBe(false);
    await rig.tick(60_000);
    expect(rig.metrics.calls).toHaveLength(0);
    expect(lastCard().actions.map((a) => a.verb)).toEqual(['rollout-resume', 'rollout-abort']);
    // Resuming sends more traffic to the new version: prod's approvers (and admins) only.
    await expect(rig.service.control('resume', rollout.id, carol)).rejects.toMatchObject({ code: 'forbidden' });
    await rig.service.control('resume', rollout.id, alice);
    await rig.tick(0);
    expect(traffic()).toEqual({ blue: 50, green: 50 });
    await rig.service.control('abort', rollout.id, carol);
    await rig.drain();
    expect(traffic()).toEqual({ blue: 100, green: 0 });
    expect(await rig.get(rollout.id)).toMatchObject({ status: 'aborted', outcome: 'Aborted by Carol at 50%: green is set back to 0%, blue takes 100%.' });
    await expect(rig.service.control('resume', rollout.id, alice)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('abort while the first step is on its way: the step is skipped and the canary stays at 0%', async () => {
    const { rollout } = await start();
    await rig.service.control('abort', rollout.id, alice);
    await rig.drain();
    expect(rig.serving.puts).toEqual([]);
    expect(traffic()).toEqual({ blue: 100, green: 0 });
    expect((await rig.get(rollout.id)).back).toEqual({ state: 'done' });
  });
});

describe('before anything happens', () => {
  it('refuses without a newer version waiting at 0%, and stores nothing', async () => {
    rig.serving.addEndpoint('prod', 'taxi-online', [{ name: 'blue', model: 'taxi-model', version: '3', traffic: 100 }, { name: 'green', model: 'taxi-model', version: '2', traffic: 0 }]);
    await expect(start()).rejects.toMatchObject({ code: 'invalid_state', message: 'No newer version of taxi-model waits at 0% on its own deployment: taxi-online in prod has blue taxi-model v3 100%, green taxi-model v2 0%.' });
    expect((await rig.store.listRollouts({})).total).toBe(0);
  });

  it('refuses when no deployment takes all the traffic', async () => {
    rig.serving.addEndpoint('prod', 'taxi-online', [{ name: 'blue', model: 'taxi-model', version: '3', traffic: 60 }, { name: 'green', model: 'taxi-model', version: '5', traffic: 40 }]);
    await expect(start()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringContaining('No deployment takes all the traffic of taxi-online in prod') });
  });

  it('refuses a second rollout on the same endpoint', async () => {
    const { rollout } = await start();
    await expect(start()).rejects.toMatchObject({ code: 'conflict', message: `Rollout ${rollout.id} (taxi-model v5) is already running on taxi-online in prod.` });
  });

  it('refuses someone who is not a prod approver, and audits it', async () => {
    await expect(start({ caller: carol })).rejects.toMatchObject({ code: 'forbidden', remedy: 'Rollouts in prod are started by prod approvers and admins.' });
    expect((await rig.store.listAudit({})).map((a) => a.action)).toEqual(['rollout.refused']);
    expect((await rig.store.listRollouts({})).total).toBe(0);
  });

  it('refuses during a freeze, with the end time, and audits it', async () => {
    await rig.store.putDoc('freezes', 'prod', { env: 'prod', reason: 'incident 4711', start: '2026-12-05T09:00:00.000Z', end: '2026-12-05T12:00:00.000Z', by: { id: 'slack:U0ADMIN', name: 'Admin' } });
    await expect(start()).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringContaining('Rollouts to prod are frozen until 2026-12-05 12:00 UTC: incident 4711') });
    expect((await rig.store.listAudit({})).map((a) => a.action)).toEqual(['rollout.refused']);
  });

  it('bad --steps and --every are usage errors', async () => {
    await expect(start({ steps: '50,10,100' })).rejects.toMatchObject({ code: 'usage' });
    await expect(start({ steps: '10,50' })).rejects.toMatchObject({ code: 'usage' });
    await expect(start({ every: '2s' })).rejects.toMatchObject({ code: 'usage' });
    await expect(start({ every: 'soon' })).rejects.toMatchObject({ code: 'usage' });
    const { rollout } = await start({ steps: '25,100', every: '1m30s' });
    expect(rollout).toMatchObject({ steps: [25, 100], everyMs: 90_000 });
  });

  it('refuses a model served by no online endpoint', async () => {
    await expect(start({ model: 'fraud-model' })).rejects.toMatchObject({ code: 'invalid_state', message: 'No online endpoint is set for fraud-model in prod.' });
  });
});

describe('a freeze while a rollout runs', () => {
  const freeze = () => rig.store.putDoc('freezes', 'prod', { env: 'prod', reason: 'holiday', start: '2026-12-05T10:00:10.000Z', end: '2026-12-05T18:00:00.000Z', by: { id: 'slack:U0ADMIN', name: 'Admin' } });

  it('holds the next step (the card says why) and goes on once it ends', async () => {
    const { rollout } = await start();
    await rig.drain();
    rig.healthy();
    await freeze();
    await rig.tick(30_000);
    expect(traffic()).toEqual({ blue: 90, green: 10 });
    expect((await rig.get(rollout.id)).checks.at(-1)!.verdict).toBe('held');
    expect(lastCard().notice).toContain('Held: Rollouts to prod are frozen until 2026-12-05 18:00 UTC: holiday');
    await rig.store.deleteDoc('freezes', 'prod');
    await rig.tick(30_000);
    expect(traffic()).toEqual({ blue: 50, green: 50 });
  });

  it('still rolls back on a breach', async () => {
    const { rollout } = await start();
    await rig.drain();
    await freeze();
    rig.metrics.set('green', { requests: 100, errors5xx: 0, latencyP95Ms: 400 });
    rig.metrics.set('blue', { requests: 900, errors5xx: 0, latencyP95Ms: 100 });
    await rig.tick(30_000);
    expect(traffic()).toEqual({ blue: 100, green: 0 });
    expect((await rig.get(rollout.id)).outcome).toContain('p95 latency of green 400 ms is above 125 ms (baseline blue 100 ms + 25%)');
  });
});
