/** A freeze that starts while a request waits (DESIGN §9.5): approved, held, released once it ends. */
import { ADHOC_NAMESPACE, type AdhocFreeze } from '../../src/core/policy/freezes';
import { pollReleases } from '../../src/core/promotion/effects';
import { alice, admin, harness, rita } from './promotion-harness';

const H = 3_600_000;

async function freezeProd(h: Awaited<ReturnType<typeof harness>>, hours: number): Promise<void> {
  const start = h.clock.now();
  const f: AdhocFreeze = { env: 'prod', reason: 'incident 4711', start: start.toISOString(), end: new Date(start.getTime() + hours * H).toISOString(), by: { id: admin.id, name: 'Ada' } };
  await h.store.putDoc(ADHOC_NAMESPACE, 'prod', f);
}

describe('requests held by a freeze', () => {
  it('an Azure DevOps gate found after the approval is not granted until the freeze ends', async () => {
    const h = await harness();
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    if (!res.ok) throw new Error(res.refusal.message);
    const id = res.request.id;
    await h.drain(); // the release starts and waits at its gate; the bot has not seen the gate yet
    await freezeProd(h, 2);
    const approved = await h.service.decide({ caller: alice, requestId: id, decision: 'approve' });
    expect(approved).toMatchObject({ ok: true, request: { state: 'approved', heldBy: { until: '2026-11-02 11:00 UTC', reason: 'incident 4711' } } });
    await h.drain();
    await pollReleases({ service: h.service, store: h.store, releases: h.releases });
    await h.drain();
    expect(h.releases.decisions).toEqual([]);
    expect((await h.store.getRequest(id))!.release?.approvalId).toBe('appr-1');
    // Still frozen: the clock changes nothing.
    h.clock.advance(H);
    expect(await h.service.tick()).toBe(0);
    h.clock.advance(H);
    expect(await h.service.tick()).toBe(1);
    await h.drain();
    expect(h.releases.decisions).toEqual([expect.objectContaining({ approvalId: 'appr-1', decision: 'approved' })]);
    const after = (await h.store.getRequest(id))!;
    expect(after.heldBy).toBeUndefined();
    expect(h.chat.posts.map((p) => (p.message.data as { text?: string }).text).filter(Boolean)).toEqual(expect.arrayContaining([
      expect.stringContaining('it releases when the freeze on prod ends (2026-11-02 11:00 UTC: incident 4711)'),
      'The freeze on prod ended; ' + id + ' is releasing.',
    ]));
  });

  it('a bot-enforced gate starts the release only when the freeze ends; an extended freeze moves the hold', async () => {
    const h = await harness();
    const s = h.settings;
    s.environments = s.environments.map((e) => (e.name === 'prod' ? { ...e, approval: { ...e.approval!, enforcedBy: 'bot' as const } } : e));
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5' });
    if (!res.ok) throw new Error(res.refusal.message);
    await h.drain();
    expect(h.releases.startCalls).toBe(0);
    await freezeProd(h, 1);
    expect(await h.service.tick()).toBe(1);
    expect((await h.store.getRequest(res.request.id))!.heldBy?.until).toBe('2026-11-02 10:00 UTC');
    await freezeProd(h, 3);
    expect(await h.service.tick()).toBe(1);
    expect((await h.store.getRequest(res.request.id))!.heldBy?.until).toBe('2026-11-02 12:00 UTC');
    await h.service.decide({ caller: alice, requestId: res.request.id, decision: 'approve' });
    await h.drain();
    expect(h.releases.startCalls).toBe(0);
    h.clock.advance(3 * H);
    await h.service.tick();
    await h.drain();
    expect(h.releases.startCalls).toBe(1);
  });

  it('break glass is never held', async () => {
    const h = await harness();
    await freezeProd(h, 2);
    const res = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '5', breakGlass: true, reason: 'hotfix' });
    if (!res.ok) throw new Error(res.refusal.message);
    expect(res.request.minApprovals).toBe(2);
    await h.drain();
    await pollReleases({ service: h.service, store: h.store, releases: h.releases });
    await h.service.decide({ caller: alice, requestId: res.request.id, decision: 'approve' });
    const second = await h.service.decide({ caller: { id: 'slack:U0BOB', platform: 'slack', displayName: 'Bob' }, requestId: res.request.id, decision: 'approve' });
    expect(second).toMatchObject({ ok: true, request: { state: 'approved' } });
    expect((second as { request: { heldBy?: unknown } }).request.heldBy).toBeUndefined();
    await h.drain();
    expect(h.releases.decisions).toHaveLength(1);
  });

  it('refuses an override without a reason, and where no guard applies', async () => {
    const h = await harness();
    const noReason = await h.service.requestPromotion({ caller: rita, model: 'taxi-model', env: 'prod', version: '6', overrideGuard: true });
    expect(noReason).toMatchObject({ ok: false, refusal: { reason: 'missing_reason', code: 'usage' } });
    const noGuard = await h.service.requestPromotion({ caller: rita, model: 'churn-model', env: 'dev', version: '1', overrideGuard: true, reason: 'x' }).catch((e: Error) => e);
    expect(noGuard).toMatchObject({ code: 'usage' }); // dev is the source: not a target at all
    h.settings.environments = h.settings.environments.map((e) => (e.name === 'preprod' ? { ...e, guard: undefined } : e));
    const unguarded = await h.service.requestPromotion({ caller: rita, model: 'churn-model', env: 'preprod', version: '1', overrideGuard: true, reason: 'x' });
    expect(unguarded).toMatchObject({ ok: false, refusal: { reason: 'override_not_needed', message: 'No guard applies to churn-model in preprod, so there is nothing to override.' } });
    expect(await h.store.listRequests({})).toEqual([]);
  });
});
