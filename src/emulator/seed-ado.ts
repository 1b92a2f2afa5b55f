/**
 * The Azure DevOps side: organization `mlops-org`, project `mlops-v2`, release definition
 * `taxi-model-deploy` (id 1: dev → preprod → prod, the bot approves before prod), the YAML
 * pipelines of mlops-v2 (id 1 `deploy-online-endpoint-pipeline` with an Approvals check on prod),
 * and two past releases matching the model tags: v3 went to prod, v4 was rejected before prod.
 */
import type { AdoGroupRec, AdoIdentity, AdoState, ReleaseRec } from './ado-types';
import { isoAt } from './context';
import { guidFrom } from './ids';
import { seedGraphUsers } from './seed-graph';

const DAY = 86_400_000;
export const BOT_IDENTITY = { id: guidFrom('mlops-bot'), displayName: 'MLOps Bot', uniqueName: 'mlops-bot@mlops-org.local' };

/**
 * `[mlops-v2]\Release Approvers`: what the prod stage and the prod environment's check are assigned
 * to. The bot and four of the directory's people (Alex, Megan, Adele, Isaiah) are members; Patti and
 * Lynne are not, so Azure DevOps refuses them as it would in a real organization.
 */
export function seedApproverGroup(): AdoGroupRec {
  const people = seedGraphUsers().slice(0, 4).map((u) => u.id);
  return {
    id: guidFrom('group/release-approvers'), displayName: '[mlops-v2]\\Release Approvers', uniqueName: 'vstfs:///Classification/TeamProject/mlops-v2\\Release Approvers',
    isContainer: true, members: [BOT_IDENTITY.id, ...people],
  };
}

/** The group as an approval's assignee (no member list). */
export function approverGroupRef(): AdoIdentity {
  const { members: _members, ...ref } = seedApproverGroup();
  return ref;
}

function pastRelease(state: AdoState, id: number, version: string, createdAt: number, prodOutcome: 'succeeded' | 'rejected'): ReleaseRec {
  const envs = ['dev', 'preprod', 'prod'].map((name, i) => {
    state.counters.releaseEnvironment += 1;
    const at = createdAt + (i + 1) * 60_000;
    return {
      id: state.counters.releaseEnvironment, definitionEnvironmentId: i + 1, name, rank: i + 1,
      status: (i < 2 ? 'succeeded' : prodOutcome) as ReleaseRec['environments'][number]['status'], manual: false,
      triggerReason: i === 0 ? 'Manual' : `After successful deployment of ${i === 1 ? 'dev' : 'preprod'}`, modifiedOn: isoAt(at),
    };
  });
  const prod = envs[2];
  if (prod) {
    state.counters.approval += 1;
    state.approvals.push({
      id: state.counters.approval, releaseId: id, releaseEnvironmentId: prod.id, approvalType: 'preDeploy',
      status: prodOutcome === 'succeeded' ? 'approved' : 'rejected', approver: approverGroupRef(), approvedBy: BOT_IDENTITY,
      comments: prodOutcome === 'succeeded' ? 'Approved via MLOps Bot by Alice (request seed-1)' : 'Rejected via MLOps Bot by Bob (request seed-2): rmse regressed vs v3',
      createdOn: isoAt(createdAt + 2 * 60_000), modifiedOn: prod.modifiedOn, revision: 2,
    });
  }
  return {
    id, name: `Release-${id}`, definitionId: 1, description: `Promote taxi-model ${version} (MLOps Bot request seed-${id})`, reason: 'manual',
    status: 'active', createdOn: isoAt(createdAt), modifiedOn: isoAt(createdAt + 3 * 60_000), createdBy: BOT_IDENTITY,
    variables: { modelName: { value: 'taxi-model' }, modelVersion: { value: version }, promotionRequestId: { value: `seed-${id}` } },
    artifacts: [], environments: envs,
  };
}

export function seedAdo(now: number): AdoState {
  const state: AdoState = {
    organization: 'mlops-org',
    project: { id: guidFrom('project/mlops-v2'), name: 'mlops-v2' },
    botIdentity: BOT_IDENTITY,
    groups: [seedApproverGroup()],
    definitions: [{
      id: 1, name: 'taxi-model-deploy', path: '\\', revision: 3, createdOn: isoAt(now - 60 * DAY),
      environments: [
        { id: 1, name: 'dev', rank: 1 },
        { id: 2, name: 'preprod', rank: 2 },
        { id: 3, name: 'prod', rank: 3, preApprover: approverGroupRef() },
      ],
      variables: {
        modelName: { value: '', allowOverride: true },
        modelVersion: { value: '', allowOverride: true },
        promotionRequestId: { value: '', allowOverride: true },
      },
    }],
    releases: [],
    approvals: [],
    pipelines: [
      {
        id: 1, name: 'deploy-online-endpoint-pipeline', folder: '\\', revision: 4, yamlPath: 'mlops/devops-pipelines/deploy-online-endpoint-pipeline.yml',
        parameters: ['modelName', 'modelVersion', 'promotionRequestId'],
        stages: [{ name: 'DeployDev' }, { name: 'DeployPreprod' }, { name: 'DeployProd', approvalEnvironment: 'prod' }],
      },
      {
        id: 2, name: 'deploy-model-training-pipeline', folder: '\\', revision: 2, yamlPath: 'mlops/devops-pipelines/deploy-model-training-pipeline.yml',
        parameters: [], stages: [{ name: 'DeployTrainingPipeline' }],
      },
      {
        id: 3, name: 'deploy-batch-endpoint-pipeline', folder: '\\', revision: 2, yamlPath: 'mlops/devops-pipelines/deploy-batch-endpoint-pipeline.yml',
        parameters: ['modelName', 'modelVersion', 'promotionRequestId'],
        stages: [{ name: 'DeployBatchEndpoint' }],
      },
    ],
    runs: [],
    checkApprovals: [],
    counters: { release: 2, releaseEnvironment: 0, approval: 0, run: 0 },
  };
  state.releases.push(pastRelease(state, 1, '3', now - 21 * DAY, 'succeeded'));
  state.releases.push(pastRelease(state, 2, '4', now - 12 * DAY, 'rejected'));
  return state;
}
