import { fixture } from '../unit/notifications-support';
import { Harness, HOOK_PASSWORD, HOOK_USER } from './webhooks-support';

type Json = Record<string, any>;
let h: Harness;
beforeEach(async () => { h = new Harness(); await h.start(); });
afterEach(async () => { await h.dispose(); });

/** The official deployment-completed sample, moved to the prod stage with the given outcome. */
function deployment(id: string, outcome: 'failed' | 'rejected-at-approval' | 'succeeded'): Json {
  const hook = fixture<Json>('servicehooks', 'ms.vss-release.deployment-completed-event.json');
  hook.id = id;
  hook.resource.environment.name = 'prod';
  hook.resource.environment.status = outcome === 'succeeded' ? 'succeeded' : 'rejected';
  if (outcome === 'rejected-at-approval') hook.resource.environment.preDeployApprovals = [{ status: 'rejected', approvalType: 'preDeploy' }];
  if (outcome === 'failed') hook.resource.deployment = { deploymentStatus: 'failed', operationStatus: 'PhaseFailed' };
  return hook;
}

describe('Azure DevOps intake: authentication', () => {
  it.each([
    ['no credentials', null],
    ['a wrong password', { user: HOOK_USER, password: 'guess' }],
    ['a wrong user', { user: 'someone', password: HOOK_PASSWORD }],
    ['an empty pair', { user: '', password: '' }],
  ])('refuses %s with 401 and changes nothing', async (_label, auth) => {
    const res = await h.serviceHook(deployment('h-1', 'failed'), auth);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    await h.drain();
    expect(h.rows()).toEqual({ effects: 0, seen: 0 });
    expect(h.chat.posts).toHaveLength(0);
    expect(h.log.text()).not.toContain(HOOK_PASSWORD);
  });
});

describe('Azure DevOps intake: deliveries', () => {
  it('posts a failed release to the environment\'s alert channel once, despite redelivery', async () => {
    expect((await h.serviceHook(deployment('f-1', 'failed'))).status).toBe(200);
    expect(await (await h.serviceHook(deployment('f-1', 'failed'))).json()).toMatchObject({ duplicates: 1 });
    await h.drain();
    expect(h.chat.posts).toHaveLength(1);
    expect(h.chat.posts[0]).toMatchObject({
      ref: { channel: 'slack:C0ALERTS' },
      message: { template: 'run-failed', data: { title: 'Release Release-1 failed in prod' } },
    });
  });

  it('tells a release rejected at approval apart: not a failure for the default route, delivered where asked for', async () => {
    await h.current.notifications.book.add({ id: 'releases|prod|kind:release_rejected', channel: 'slack:C0REVIEW', kind: 'releases', env: 'prod', filter: 'kind:release_rejected', origin: 'command' });
    await h.serviceHook(deployment('j-1', 'rejected-at-approval'));
    await h.serviceHook(deployment('j-2', 'failed'));
    await h.drain();
    expect(h.delivered('slack:C0ALERTS')).toEqual(['ado:j-2']);
    expect(h.delivered('slack:C0REVIEW')).toEqual(['ado:j-1']);
    expect(h.chat.inChannel('slack:C0REVIEW')[0].message.data).toMatchObject({ title: 'Release Release-1 was rejected at approval in prod' });
  });

  it('routes approvals and pipeline failures to the channels subscribed to them', async () => {
    const book = h.current.notifications.book;
    await book.add({ id: 'approvals|*|', channel: 'slack:C0APPROVE', kind: 'approvals', filter: '', origin: 'command' });
    await book.add({ id: 'failed-runs|*|name:test-ci', channel: 'slack:C0CI', kind: 'failed-runs', filter: 'name:test-ci', origin: 'command' });
    const run = fixture<Json>('servicehooks', 'ms.vss-pipelines.run-state-changed-event.json');
    run.resource.run.result = 'failed';
    const build = fixture<Json>('servicehooks', 'build.complete.json');
    build.resource.status = 'failed';
    for (const body of [fixture('servicehooks', 'ms.vss-release.deployment-approval-pending-event.json'), fixture('servicehooks', 'ms.vss-pipelinechecks-events.approval-pending.json'), run, build]) {
      expect((await h.serviceHook(body)).status).toBe(200);
    }
    await h.drain();
    expect(h.delivered('slack:C0APPROVE')).toEqual(['ado:55382df7-24fa-453c-9173-3369b2417a5b', 'ado:a73e7272-e96d-4249-93ac-7404eacd6801']);
    expect(h.delivered('slack:C0CI')).toEqual(['ado:62e4351f-1c24-40f9-8510-7af03692ab45']);
    expect(h.chat.inChannel('slack:C0CI')[0].message.data).toMatchObject({ links: [{ title: 'Open run', url: 'https://codedev.ms/org/863d0a5b-3c91-4bf3-8ad7-7f33736b7f4c/_build/results?buildId=11' }] });
  });

  it('acknowledges unknown event types without recording deliveries', async () => {
    const push = { ...fixture<Json>('servicehooks', 'build.complete.json'), eventType: 'git.push' };
    const res = await h.serviceHook(push);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, ignored: 1 });
    expect(h.rows().effects).toBe(0);
  });

  it('survives a restart between intake and posting', async () => {
    for (let i = 0; i < 6; i++) await h.serviceHook(deployment(`k-${i}`, 'failed'));
    await h.restart();
    await h.serviceHook(deployment('k-5', 'failed')); // a redelivery after the restart
    await h.drain();
    expect(h.delivered('slack:C0ALERTS')).toEqual(Array.from({ length: 6 }, (_, i) => `ado:k-${i}`));
  });
});
