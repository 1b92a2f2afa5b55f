/**
 * A YAML pipeline promotion end to end on the local emulator: the real DevOpsReleases adapter reads
 * the run's build timeline, and the reducer follows what it reports. The run is inProgress from its
 * first stage on; only the prod stage's own state and its environment approval may move the request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { ReleaseStatus } from '../../src/core/models';
import { reduce } from '../../src/core/promotion/reducer';
import type { PromotionRequest } from '../../src/core/promotion/types';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { STAGE_MS } from '../../src/emulator/pipeline-sim';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';
import { testSettings } from '../fakes/settings';
import { alice, created, ok } from '../unit/promotion-helpers';
import { call } from './emulator-client';

const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const PAT = { authorization: `Basic ${Buffer.from('PAT:emulator-pat').toString('base64')}` };

let now = Date.parse('2026-11-02T09:00:00Z');
let dir: string;
let emu: RunningEmulator;
let releases: DevOpsReleases;
// No release.stage: the seeded DeployProd is found from the environment name.
const prod: EnvironmentSettings = {
  ...testSettings().environments.find((e) => e.name === 'prod')!,
  release: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', variables },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-emu-pipelines-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: dir, log, onExchange: conformance.onExchange, autoTick: false, jobEveryMs: 0, clock: { now: () => new Date(now) } });
  releases = new DevOpsReleases({ orgUrl: emu.devopsUrl, project: emu.project, auth: { pat: 'emulator-pat' }, environments: [prod], log });
});
// Every request the adapters sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ctx = () => ({ env: prod, now: new Date(now) });
function follow(r: PromotionRequest, status: ReleaseStatus): PromotionRequest {
  return ok(reduce(r, { type: 'release_status', status }, ctx())).request;
}
function advance(): void {
  now += STAGE_MS;
  emu.tick();
}

describe('a YAML pipeline promotion on the emulator', () => {
  it('waits for the chat approval through dev and preprod, grants the prod check, and succeeds', async () => {
    let request = created(prod);
    const ref = await releases.start({ env: 'prod', model: 'taxi-model', version: '5', requestId: request.id, description: `request ${request.id}` });
    request = ok(reduce(request, { type: 'release_started', ref }, ctx())).request;

    // DeployDev running: the run is inProgress, the prod stage is not.
    let status = await releases.status('prod', ref);
    expect(status).toMatchObject({ state: 'queued', stages: [{ name: 'DeployDev', state: 'in_progress' }, { name: 'DeployPreprod', state: 'not_started' }, { name: 'DeployProd', state: 'not_started' }] });
    expect(status.pendingApprovalId).toBeUndefined();
    request = follow(request, status);
    expect(request.state).toBe('awaiting_approval');

    advance();
    status = await releases.status('prod', ref);
    expect(status.state).toBe('queued');
    expect(status.stages.map((s) => s.state)).toEqual(['succeeded', 'in_progress', 'not_started']);
    request = follow(request, status);
    expect(request.state).toBe('awaiting_approval');

    advance();
    status = await releases.status('prod', ref);
    expect(status.state).toBe('awaiting_approval');
    const pending = await call(`${emu.devopsUrl}/${emu.project}/_apis/pipelines/approvals?state=pending&api-version=7.2-preview.2`, { headers: PAT });
    const gate = pending.body.value.find((a: { pipeline: { owner: { id: number } } }) => a.pipeline.owner.id === ref.id);
    expect(status.pendingApprovalId).toBe(gate.id);
    request = follow(request, status);
    expect(request).toMatchObject({ state: 'awaiting_approval', release: { approvalId: gate.id } });

    const approved = ok(reduce(request, { type: 'approve', ...alice, isApprover: true }, ctx()));
    request = approved.request;
    expect(request.state).toBe('approved');
    const decide = approved.effects.find((e) => e.kind === 'ado_decide')!.payload as { approvalId: string; comment: string };
    await releases.decide('prod', ref, decide.approvalId, 'approved', decide.comment);

    status = await releases.status('prod', ref);
    expect(status).toMatchObject({ state: 'in_progress', decidedBy: expect.any(String) });
    request = follow(request, status);
    expect(request.state).toBe('releasing');

    advance();
    status = await releases.status('prod', ref);
    expect(status.state).toBe('succeeded');
    expect(status.stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    request = follow(request, status);
    expect(request.state).toBe('succeeded');
  });

  it('serves the build timeline: stages, and the approval under the gated stage with its id', async () => {
    const ref = await releases.start({ env: 'prod', model: 'taxi-model', version: '6', requestId: 'PR-TLINE', description: 'timeline' });
    advance();
    advance();
    const url = `${emu.devopsUrl}/${emu.project}/_apis/build/builds/${ref.id}/Timeline`;
    expect((await call(url, { headers: PAT })).status).toBe(400);
    const t = await call(url, { headers: { ...PAT, accept: 'application/json;api-version=7.1-preview.2' } });
    const stages = t.body.records.filter((r: { type: string }) => r.type === 'Stage');
    expect(stages.map((s: { identifier: string; state: string; result: string | null }) => [s.identifier, s.state, s.result]))
      .toEqual([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'succeeded'], ['DeployProd', 'pending', null]]);
    const approval = t.body.records.find((r: { type: string }) => r.type === 'Checkpoint.Approval');
    const checkpoint = t.body.records.find((r: { id: string }) => r.id === approval.parentId);
    expect(checkpoint).toMatchObject({ type: 'Checkpoint', parentId: stages[2].id, state: 'inProgress' });
    expect((await releases.status('prod', ref)).pendingApprovalId).toBe(approval.id);

    await releases.decide('prod', ref, approval.id, 'rejected', 'Rejected via MLOps Bot by Bob (request PR-TLINE): no');
    const after = await call(url, { headers: { ...PAT, accept: 'application/json;api-version=7.1-preview.2' } });
    expect(after.body.records.find((r: { id: string }) => r.id === approval.id)).toMatchObject({ state: 'completed', result: 'failed' });
    expect(await releases.status('prod', ref)).toMatchObject({ state: 'rejected', decidedBy: expect.any(String) });
    expect((await call(`${emu.devopsUrl}/${emu.project}/_apis/build/builds/9999/timeline?api-version=7.1`, { headers: PAT })).status).toBe(404);
  });
});
