/**
 * The real SDK clients against the emulator, configured the way the bot configures them for any
 * non-default endpoint: ARM `endpoint` + `credentialScopes` + `tlsOptions.ca`; Azure DevOps by org URL.
 */
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import * as azdev from 'azure-devops-node-api';
import { ApprovalStatus, EnvironmentStatus, ReleaseExpands } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { RunResult, RunState } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { conformanceRecorder } from '../support/conformance-recorder';
import { call, fixture, ManualClock, quietLog, tempDir } from './emulator-client';

/** Managed identity the App Service way, without touching process.env: the emulator's token endpoint. */
function managedIdentity(emu: RunningEmulator, asked: string[]): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes[0] ?? '' : scopes;
      asked.push(scope);
      const resource = scope.replace(/\/\.default$/, '');
      const reply = await call(`${emu.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, {
        headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
      });
      return { token: reply.body.access_token as string, expiresOnTimestamp: Number(reply.body.expires_on) * 1000 };
    },
  };
}

describe('emulator through the real SDK clients', () => {
  // Every request the SDK clients sent and every answer the emulator gave, against the official specs.
  const conformance = conformanceRecorder();
  afterAll(() => {
    expect(conformance.violations()).toEqual([]);
  });
  const tmp = tempDir();
  const clock = new ManualClock();
  const asked: string[] = [];
  let emu: RunningEmulator;
  let ml: AzureMachineLearningWorkspaces;
  const rg = 'rg-mlopsv2-0001dev';
  const ws = 'mlw-mlopsv2-0001dev';

  beforeAll(async () => {
    emu = await startEmulator({ dataDir: tmp.dir, port: 0, log: quietLog, clock, autoTick: false, jobEveryMs: 0, onExchange: conformance.onExchange });
    ml = new AzureMachineLearningWorkspaces(managedIdentity(emu, asked), emu.subscriptionId, {
      endpoint: emu.armUrl,
      credentialScopes: ['https://management.azure.com/.default'],
      tlsOptions: { ca: emu.ca },
      retryOptions: { maxRetries: 0 },
    });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('reads the workspace, models, versions and jobs', async () => {
    const workspace = await ml.workspaces.get(rg, ws);
    expect(workspace.mlFlowTrackingUri).toBe(`azureml://${emu.armUrl.slice('https://'.length)}/mlflow/v1.0/subscriptions/${emu.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}`);

    const names: string[] = [];
    for await (const c of ml.modelContainers.list(rg, ws)) names.push(c.name ?? '');
    expect(names).toEqual(['nyc-demand-forecast', 'taxi-fare-classifier', 'taxi-model']);

    const all: string[] = [];
    for await (const v of ml.modelVersions.list(rg, ws, 'taxi-model', { orderBy: 'createdtime desc', top: 2 })) all.push(v.name ?? '');
    expect(all).toEqual(['5', '4', '3', '2', '1']);

    const v3 = await ml.modelVersions.get(rg, ws, 'taxi-model', '3');
    expect(v3.properties.jobName).toBe('quiet_river_5d8h2n');
    expect(v3.properties.tags?.['mlops-env-prod']).toBeDefined();

    const job = await ml.jobs.get(rg, ws, 'gentle_fig_4x8s2m');
    expect(job.properties.status).toBe('Failed');
    const failed: string[] = [];
    for await (const j of ml.jobs.list(rg, ws, { jobType: 'Pipeline' })) failed.push(`${j.name}:${j.properties.status}`);
    expect(failed).toEqual(['tidy_walrus_6h1k3d:Failed']);
    expect(asked.every((s) => s === 'https://management.azure.com/.default')).toBe(true);
  });

  it('tags a version with a GET-merge-PUT', async () => {
    const v5 = await ml.modelVersions.get(rg, ws, 'taxi-model', '5');
    const tags = { ...v5.properties.tags, 'mlops-env-preprod': '2026-03-02T09:00:00.000Z' };
    const updated = await ml.modelVersions.createOrUpdate(rg, ws, 'taxi-model', '5', { properties: { ...v5.properties, tags } });
    expect(updated.properties.tags).toEqual(tags);
    const tagged: string[] = [];
    for await (const v of ml.modelVersions.list(rg, ws, 'taxi-model', { tags: 'mlops-env-preprod' })) tagged.push(v.name ?? '');
    expect(tagged.sort()).toEqual(['3', '4', '5']);
  });

  it('creates, lists and deletes a schedule through the long-running operations', async () => {
    const body = fixture('azureml/schedule-createOrUpdate-recurrence-createjob.request.CONSTRUCTED.json');
    const created = await ml.schedules.beginCreateOrUpdateAndWait(rg, ws, 'nightly-retrain', body, { updateIntervalInMs: 10 });
    expect(created.properties.provisioningState).toBe('Succeeded');
    const names: string[] = [];
    for await (const s of ml.schedules.list(rg, ws, { listViewType: 'All' })) names.push(s.name ?? '');
    expect(names).toEqual(['nightly-retrain', 'taxi-batch-nightly']);
    await ml.schedules.beginDeleteAndWait(rg, ws, 'nightly-retrain', { updateIntervalInMs: 10 });
    await expect(ml.schedules.get(rg, ws, 'nightly-retrain')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('shifts online endpoint traffic with a whole-object PUT', async () => {
    const prodRg = 'rg-mlopsv2-0001prod';
    const prodWs = 'mlw-mlopsv2-0001prod';
    const endpoint = await ml.onlineEndpoints.get(prodRg, prodWs, 'taxi-online');
    expect(endpoint.properties.traffic).toEqual({ blue: 100, green: 0 });
    endpoint.properties.traffic = { blue: 50, green: 50 };
    const updated = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(prodRg, prodWs, 'taxi-online', endpoint, { updateIntervalInMs: 10 });
    expect(updated.properties.traffic).toEqual({ blue: 50, green: 50 });
    expect(updated.properties.provisioningState).toBe('Succeeded');
  });

  it('refuses mirrored traffic over 50% or to a deployment that takes live traffic, as Azure does', async () => {
    const url = `${emu.armUrl}/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001preprod/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001preprod/onlineEndpoints/taxi-online?api-version=2024-04-01`;
    const token = (await managedIdentity(emu, asked).getToken('https://management.azure.com/.default'))!.token;
    const put = (properties: Record<string, unknown>) => call(url, { method: 'PUT', ca: emu.ca, headers: { authorization: `Bearer ${token}` }, body: { location: 'westeurope', properties: { authMode: 'Key', ...properties } } });
    const both = await put({ traffic: { blue: 0, green: 100 }, mirrorTraffic: { green: 10 } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/live and mirrored traffic at once: green/);
    const tooMuch = await put({ traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 60 } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toMatch(/at most 50, not 60/);
    const fine = await put({ traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 20 } });
    expect(fine.status).toBe(200);
  });

  it('drives a classic release through discovery, approval and completion (PAT)', async () => {
    const web = new azdev.WebApi(emu.devopsUrl, azdev.getPersonalAccessTokenHandler('any-pat'));
    const release = await web.getReleaseApi();
    const defs = await release.getReleaseDefinitions(emu.project, 'taxi-model-deploy');
    expect(defs.map((d) => [d.id, d.name])).toEqual([[1, 'taxi-model-deploy']]);
    const created = await release.createRelease({
      definitionId: 1, description: 'Promote taxi-model 5 (request r-1)',
      variables: { modelName: { value: 'taxi-model' }, modelVersion: { value: '5' }, promotionRequestId: { value: 'r-1' } },
    }, emu.project);
    expect(created.environments?.map((e) => e.status)).toEqual([EnvironmentStatus.InProgress, EnvironmentStatus.NotStarted, EnvironmentStatus.NotStarted]);

    clock.advance(60_000);
    emu.tick();
    const pending = await release.getApprovals(emu.project, undefined, ApprovalStatus.Pending, [created.id ?? 0]);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.releaseEnvironment?.name).toBe('prod');

    const decided = await release.updateReleaseApproval({ status: ApprovalStatus.Approved, comments: 'Approved via MLOps Bot by Alice (request r-1)' }, emu.project, pending[0]?.id ?? 0);
    expect(decided.status).toBe(ApprovalStatus.Approved);
    clock.advance(60_000);
    emu.tick();
    const done = await release.getRelease(emu.project, created.id ?? 0);
    expect(done.environments?.map((e) => e.status)).toEqual([EnvironmentStatus.Succeeded, EnvironmentStatus.Succeeded, EnvironmentStatus.Succeeded]);

    const listed = await release.getReleases(emu.project, 1, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, ReleaseExpands.Variables);
    const mine = listed.find((r) => r.variables?.['promotionRequestId']?.value === 'r-1');
    expect(mine?.id).toBe(created.id);
  });

  it('runs a YAML pipeline with template parameters (bearer token)', async () => {
    const adoToken = (await managedIdentity(emu, []).getToken('499b84ac-1321-427f-aa17-267ca6975798/.default'))?.token ?? '';
    const web = new azdev.WebApi(emu.devopsUrl, azdev.getBearerHandler(adoToken));
    const pipelines = await web.getPipelinesApi();
    const list = await pipelines.listPipelines(emu.project);
    expect(list.map((p) => p.name)).toContain('deploy-online-endpoint-pipeline');
    const run = await pipelines.runPipeline({ templateParameters: { modelName: 'taxi-model', modelVersion: '5', promotionRequestId: 'r-2' } }, emu.project, 1);
    expect(run.state).toBe(RunState.InProgress);
    clock.advance(60_000);
    emu.tick();
    const waiting = await pipelines.getRun(emu.project, 1, run.id ?? 0);
    expect(waiting.state).toBe(RunState.InProgress);
    const runs = await pipelines.listRuns(emu.project, 1);
    expect(runs.map((r) => r.id)).toContain(run.id);
    expect(waiting.result).toBeUndefined();

    // The environment check is REST-only: find it by its run and approve it with the same token.
    const bearer = { authorization: `Bearer ${adoToken}` };
    const approvals = await call(`${emu.devopsUrl}/${emu.project}/_apis/pipelines/approvals?state=pending&api-version=7.2-preview.2`, { headers: bearer });
    const mine = approvals.body.value.find((a: { pipeline: { owner: { id: number } } }) => a.pipeline.owner.id === run.id);
    await call(`${emu.devopsUrl}/${emu.project}/_apis/pipelines/approvals?api-version=7.2-preview.2`, { method: 'PATCH', headers: bearer, body: [{ approvalId: mine.id, status: 'approved', comment: 'ok' }] });
    clock.advance(60_000);
    emu.tick();
    const done = await pipelines.getRun(emu.project, 1, run.id ?? 0);
    expect([done.state, done.result]).toEqual([RunState.Completed, RunResult.Succeeded]);
  });
});
