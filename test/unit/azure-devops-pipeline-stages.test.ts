import { approvalIdsUnder, stageRecords, targetStage, targetState } from '../../src/adapters/azure-devops/pipeline-stages';
import type { PipelineRelease } from '../../src/core/settings';

const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const settings = (environment: string, stage?: string): PipelineRelease => ({ kind: 'pipeline', pipeline: 'deploy', environment, variables, ...(stage ? { stage } : {}) });
// Numbers, as the SDK hands them over: state 0 pending / 1 inProgress / 2 completed; result 0 succeeded, 2 failed, 4 skipped.
const stage = (identifier: string, order: number, state = 0, result?: number, name = identifier) => ({ id: `s-${identifier}`, type: 'Stage', identifier, name, order, state, result });

describe('the target stage of a YAML run', () => {
  it('defaults to the stage named like the environment, never one that merely contains it', () => {
    const stages = stageRecords([stage('DeployPreprod', 2), stage('Deploy_to_prod', 3), stage('DeployDev', 1)]);
    expect(stages.map((s) => s.identifier)).toEqual(['DeployDev', 'DeployPreprod', 'Deploy_to_prod']);
    expect(targetStage(stages, settings('prod'))?.identifier).toBe('Deploy_to_prod');
    expect(targetStage(stages, settings('PREPROD'))?.identifier).toBe('DeployPreprod');
    expect(() => targetStage(stageRecords([stage('DeployPreprod', 1), stage('Smoke', 2)]), settings('prod'))).toThrow('has no stage for environment prod (it has: DeployPreprod, Smoke)');
  });

  it('matches release.stage on the YAML id or the display name; a single stage is the target', () => {
    const stages = stageRecords([stage('Build', 1), stage('Release', 2, 0, undefined, 'Release to production')]);
    expect(targetStage(stages, settings('prod', 'release to production'))?.identifier).toBe('Release');
    expect(targetStage(stages, settings('prod', 'RELEASE'))?.identifier).toBe('Release');
    expect(targetStage(stageRecords([stage('CreateOnlineEndpoint', 1)]), settings('prod'))?.identifier).toBe('CreateOnlineEndpoint');
    expect(targetStage([], settings('prod'))).toBeUndefined();
  });

  it('reads succeeded (0) as a result, and ignores a result on a stage that has not completed', () => {
    const [done, running] = stageRecords([stage('A', 1, 2, 0), stage('B', 2, 1, 0)]);
    expect(done).toMatchObject({ state: 'completed', result: 'succeeded' });
    expect(running).toMatchObject({ state: 'inProgress' });
    expect(running!.result).toBeUndefined();
  });

  it('links approvals to the stage they sit under', () => {
    const records = [
      stage('Pre', 1), stage('Prod', 2),
      { id: 'cp1', parentId: 's-Pre', type: 'Checkpoint' }, { id: 'APPR-1', parentId: 'cp1', type: 'Checkpoint.Approval' },
      { id: 'cp2', parentId: 's-Prod', type: 'Checkpoint' }, { id: 'appr-2', parentId: 'cp2', type: 'Checkpoint.Approval' },
    ];
    expect([...approvalIdsUnder(records, 's-Prod')!]).toEqual(['appr-2']);
    expect([...approvalIdsUnder(records, 's-Pre')!]).toEqual(['appr-1']);
    expect(approvalIdsUnder([stage('Prod', 1)], 's-Prod')).toBeUndefined();
  });

  it('maps the target to a release state', () => {
    const run = { ended: false, canceling: false, canceled: false };
    const [dev, prod] = stageRecords([stage('Dev', 1, 1), stage('Prod', 2, 0)]);
    expect(targetState(prod!, [dev!, prod!], run, { pending: false, rejected: false }).state).toBe('queued');
    expect(targetState(prod!, [dev!, prod!], run, { pending: true, rejected: false }).state).toBe('awaiting_approval');
    expect(targetState(prod!, [dev!, prod!], { ...run, ended: true, canceled: true }, { pending: false, rejected: false }).state).toBe('canceled');
    const [running] = stageRecords([stage('Prod', 2, 1)]);
    expect(targetState(running!, [running!], run, { pending: false, rejected: false }).state).toBe('in_progress');
    const [issues] = stageRecords([stage('Prod', 2, 2, 1)]);
    expect(targetState(issues!, [issues!], run, { pending: false, rejected: false })).toEqual({ state: 'failed', error: 'Stage Prod succeeded with issues.' });
    const [failed] = stageRecords([stage('Prod', 2, 2, 2)]);
    expect(targetState(failed!, [failed!], run, { pending: false, rejected: true }).state).toBe('rejected');
  });
});
