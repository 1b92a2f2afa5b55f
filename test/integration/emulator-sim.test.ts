/** The simulation with an injected clock: releases move and wait for approval, jobs run and some fail. */
import { startEmulator, type EmulatorEvent, type RunningEmulator } from '../../src/emulator';
import { call, fixture, keysOf, ManualClock, PAT_HEADER, quietLog, tempDir, token, wsUrl } from './emulator-client';

function hooks(events: EmulatorEvent[], type: string): Record<string, unknown>[] {
  return events.flatMap((e) => (e.kind === 'servicehook' && e.delivery.eventType === type ? [e.delivery as unknown as Record<string, unknown>] : []));
}

describe('emulator simulation', () => {
  it('moves a release to the prod approval, then to success once approved', async () => {
    const tmp = tempDir();
    const clock = new ManualClock();
    const events: EmulatorEvent[] = [];
    const emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock, autoTick: false, jobEveryMs: 0, onEvent: (e) => events.push(e) });
    try {
      const project = `${emu.devopsUrl}/mlops-v2`;
      const rel = (await call(`${project}/_apis/Release/releases`, {
        method: 'POST', headers: PAT_HEADER,
        body: { definitionId: 1, variables: { modelName: { value: 'taxi-model' }, modelVersion: { value: '5' }, promotionRequestId: { value: 'r-sim' } } },
      })).body;
      emu.tick();
      expect(hooks(events, 'ms.vss-release.deployment-approval-pending-event')).toHaveLength(0);

      clock.advance(30_000);
      emu.tick();
      const pendingEvents = hooks(events, 'ms.vss-release.deployment-approval-pending-event');
      expect(pendingEvents).toHaveLength(1);
      const official = fixture('azure-devops/servicehooks/ms.vss-release.deployment-approval-pending-event.json');
      expect(keysOf(pendingEvents[0])).toEqual(expect.arrayContaining(keysOf(official)));
      expect(keysOf(pendingEvents[0]?.['resource'])).toEqual(keysOf(official.resource));
      const approvals = await call(`${project}/_apis/Release/approvals?releaseIdsFilter=${rel.id}`, { headers: PAT_HEADER });
      expect(approvals.body.value).toHaveLength(1);

      clock.advance(3_600_000);
      emu.tick();
      const waiting = await call(`${project}/_apis/Release/releases/${rel.id}`, { headers: PAT_HEADER });
      expect(waiting.body.environments.map((e: { status: string }) => e.status)).toEqual(['succeeded', 'succeeded', 'queued']);

      await call(`${project}/_apis/Release/approvals/${approvals.body.value[0].id}`, { method: 'PATCH', headers: PAT_HEADER, body: { status: 'approved', comments: 'ok' } });
      const deploying = await call(`${project}/_apis/Release/releases/${rel.id}`, { headers: PAT_HEADER });
      expect(deploying.body.environments[2].status).toBe('inProgress');
      clock.advance(30_000);
      emu.tick();
      const done = await call(`${project}/_apis/Release/releases/${rel.id}`, { headers: PAT_HEADER });
      expect(done.body.environments.map((e: { status: string }) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      const completed = hooks(events, 'ms.vss-release.deployment-completed-event');
      expect(completed).toHaveLength(3);
      const officialCompleted = fixture('azure-devops/servicehooks/ms.vss-release.deployment-completed-event.json');
      expect(keysOf((completed[2]?.['resource'] as Record<string, unknown>)['environment'])).toEqual(expect.arrayContaining(keysOf(officialCompleted.resource.environment)));
    } finally {
      await emu.close();
      tmp.cleanup();
    }
  });

  async function jobOutcomes(): Promise<{ statuses: string[]; events: EmulatorEvent[]; emu: RunningEmulator; cleanup: () => Promise<void> }> {
    const tmp = tempDir();
    const clock = new ManualClock();
    const events: EmulatorEvent[] = [];
    const emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock, autoTick: false, jobEveryMs: 60_000, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 20; i++) {
      clock.advance(60_000);
      emu.tick();
    }
    clock.advance(5 * 60_000);
    emu.tick();
    const auth = { authorization: `Bearer ${await token(emu)}` };
    const jobs = await call(`${wsUrl(emu, 'dev')}/jobs?api-version=2022-10-01&tag=model`, { headers: auth, ca: emu.ca });
    const statuses = (jobs.body.value as { name: string; properties: { status: string; displayName: string } }[])
      .filter((j) => j.properties.displayName.startsWith('train-taxi-model-') && !j.properties.displayName.includes('failed'))
      .map((j) => `${j.name}:${j.properties.status}`);
    return { statuses, events, emu, cleanup: async () => { await emu.close(); tmp.cleanup(); } };
  }

  it('runs periodic training jobs, a deterministic share of which fail with Event Grid notifications', async () => {
    const first = await jobOutcomes();
    const second = await jobOutcomes();
    try {
      expect(first.statuses.length).toBeGreaterThanOrEqual(15);
      expect(first.statuses).toEqual(second.statuses);
      const failed = first.statuses.filter((s) => s.endsWith(':Failed'));
      const completed = first.statuses.filter((s) => s.endsWith(':Completed'));
      expect(failed.length).toBeGreaterThan(0);
      expect(completed.length).toBeGreaterThan(failed.length);

      const failures = first.events.flatMap((e) => (e.kind === 'eventgrid' && e.event.eventType === 'Microsoft.MachineLearningServices.RunStatusChanged' && e.event.data['runStatus'] === 'failed' ? [e.event] : []));
      expect(failures.map((e) => `${String(e.data['runId'])}:Failed`).sort()).toEqual([...failed].sort());
      const official = fixture('eventgrid/ml-RunStatusChanged.eventgridschema.json')[0];
      expect(keysOf(failures[0])).toEqual(keysOf(official));
      expect(keysOf(failures[0]?.data)).toEqual(keysOf(official.data));
      expect(failures[0]?.subject).toMatch(/^experiments\/[0-9a-f-]+\/runs\/.+/);

      const failedName = failed[0]?.split(':')[0] ?? '';
      const auth = { authorization: `Bearer ${await token(first.emu)}` };
      const job = await call(`${wsUrl(first.emu, 'dev')}/jobs/${failedName}?api-version=2022-10-01`, { headers: auth, ca: first.emu.ca });
      expect(job.body.properties.properties.errorMessage).toEqual(expect.any(String));
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
  });
});
