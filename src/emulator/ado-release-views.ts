/** Response shapes of classic releases, their environments and approvals (as the 7.x service sends them). */
import { identityRef, orgUrl } from './ado-common';
import type { ReleaseApprovalRec, ReleaseDefinitionRec, ReleaseEnvRec, ReleaseRec } from './ado-types';
import type { EmulatorContext } from './context';

function base(emu: EmulatorContext): { api: string; web: string } {
  const org = orgUrl(emu);
  const projectId = emu.state.ado.project.id;
  return { api: `${org}/${projectId}/_apis/Release`, web: `${org}/${projectId}/_release` };
}

export function definitionRef(emu: EmulatorContext, def: ReleaseDefinitionRec): Record<string, unknown> {
  const { api, web } = base(emu);
  const url = `${api}/definitions/${def.id}`;
  return { id: def.id, name: def.name, path: def.path, url, _links: { self: { href: url }, web: { href: `${web}?definitionId=${def.id}` } } };
}

export function releaseRef(emu: EmulatorContext, rel: ReleaseRec): Record<string, unknown> {
  const { api, web } = base(emu);
  const url = `${api}/releases/${rel.id}`;
  return { id: rel.id, name: rel.name, url, _links: { self: { href: url }, web: { href: `${web}?releaseId=${rel.id}&_a=release-summary` } } };
}

export function findDefinition(emu: EmulatorContext, id: number): ReleaseDefinitionRec | undefined {
  return emu.state.ado.definitions.find((d) => d.id === id);
}

export function approvalView(emu: EmulatorContext, ap: ReleaseApprovalRec): Record<string, unknown> {
  const rel = emu.state.ado.releases.find((r) => r.id === ap.releaseId);
  const env = rel?.environments.find((e) => e.id === ap.releaseEnvironmentId);
  const def = rel ? findDefinition(emu, rel.definitionId) : undefined;
  return {
    id: ap.id, revision: ap.revision,
    approver: identityRef(emu, ap.approver),
    ...(ap.approvedBy ? { approvedBy: identityRef(emu, ap.approvedBy) } : {}),
    approvalType: ap.approvalType, createdOn: ap.createdOn, modifiedOn: ap.modifiedOn,
    status: ap.status, comments: ap.comments, isAutomated: false, isNotificationOn: true,
    trialNumber: 1, attempt: 1, rank: 1, history: [],
    release: rel ? releaseRef(emu, rel) : { id: ap.releaseId },
    releaseDefinition: def ? definitionRef(emu, def) : {},
    releaseEnvironment: { id: ap.releaseEnvironmentId, name: env?.name ?? '', _links: {} },
    url: `${base(emu).api}/approvals/${ap.id}`,
  };
}

function deploySteps(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec): unknown[] {
  if (env.status === 'notStarted') return [];
  const approval = emu.state.ado.approvals.filter((a) => a.releaseEnvironmentId === env.id).pop();
  const status = env.status === 'succeeded' ? 'succeeded' : env.status === 'inProgress' ? 'inProgress'
    : env.status === 'canceled' || env.status === 'rejected' || env.status === 'queued' ? 'notDeployed' : 'undefined';
  const operationStatus = env.status === 'rejected' ? 'rejected' : env.status === 'canceled' ? 'canceled'
    : env.status === 'queued' ? 'pending' : env.status === 'inProgress' ? 'phaseInProgress'
      : env.status === 'succeeded' ? 'phaseSucceeded' : 'undefined';
  return [{
    id: env.id, deploymentId: env.id, attempt: 1, reason: rel.reason, status, operationStatus,
    releaseDeployPhases: [], requestedBy: identityRef(emu, rel.createdBy), requestedFor: identityRef(emu, rel.createdBy),
    queuedOn: approval?.createdOn ?? env.modifiedOn, lastModifiedBy: identityRef(emu, rel.createdBy),
    lastModifiedOn: env.modifiedOn, hasStarted: status !== 'notDeployed', issues: [],
  }];
}

export function environmentView(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec): Record<string, unknown> {
  const def = findDefinition(emu, rel.definitionId);
  const defEnv = def?.environments.find((e) => e.id === env.definitionEnvironmentId);
  const approvals = emu.state.ado.approvals.filter((a) => a.releaseEnvironmentId === env.id).map((a) => approvalView(emu, a));
  const preApproval = defEnv?.preApprover
    ? { rank: 1, isAutomated: false, isNotificationOn: true, approver: identityRef(emu, defEnv.preApprover), id: 0 }
    : { rank: 1, isAutomated: true, isNotificationOn: false, id: 0 };
  const previous = rel.environments.find((e) => e.rank === env.rank - 1);
  return {
    id: env.id, releaseId: rel.id, name: env.name, status: env.status, variables: {}, variableGroups: [],
    preDeployApprovals: approvals, postDeployApprovals: [],
    preApprovalsSnapshot: {
      approvals: [preApproval],
      approvalOptions: { requiredApproverCount: defEnv?.preApprover ? 1 : 0, releaseCreatorCanBeApprover: true, autoTriggeredAndPreviousEnvironmentApprovedCanBeSkipped: false, enforceIdentityRevalidation: false, timeoutInMinutes: 43200, executionOrder: 'beforeGates' },
    },
    postApprovalsSnapshot: { approvals: [{ rank: 1, isAutomated: true, isNotificationOn: false, id: 0 }] },
    deploySteps: deploySteps(emu, rel, env), rank: env.rank, definitionEnvironmentId: env.definitionEnvironmentId,
    environmentOptions: { emailNotificationType: 'OnlyOnFailure', emailRecipients: 'release.environment.owner;release.creator', skipArtifactsDownload: false, timeoutInMinutes: 0, enableAccessToken: false, publishDeploymentStatus: false },
    demands: [],
    // A stage made manual when the release was created has no trigger left, as in Azure DevOps.
    conditions: previous && !env.manual ? [{ result: previous.status === 'succeeded', name: previous.name, conditionType: 'environmentState', value: '4' }] : [],
    modifiedOn: env.modifiedOn, workflowTasks: [], deployPhasesSnapshot: [],
    owner: identityRef(emu, rel.createdBy), schedules: [],
    release: releaseRef(emu, rel), releaseDefinition: def ? definitionRef(emu, def) : {},
    releaseCreatedBy: { id: rel.createdBy.id, displayName: rel.createdBy.displayName },
    triggerReason: env.triggerReason,
  };
}

export interface ReleaseExpand {
  environments: boolean;
  variables: boolean;
  artifacts: boolean;
}

export const FULL_RELEASE: ReleaseExpand = { environments: true, variables: true, artifacts: true };

export function releaseView(emu: EmulatorContext, rel: ReleaseRec, expand: ReleaseExpand = FULL_RELEASE): Record<string, unknown> {
  const def = findDefinition(emu, rel.definitionId);
  const ref = releaseRef(emu, rel);
  const { id, name } = emu.state.ado.project;
  return {
    id: rel.id, name: rel.name, status: rel.status, createdOn: rel.createdOn, modifiedOn: rel.modifiedOn,
    modifiedBy: identityRef(emu, rel.createdBy), createdBy: identityRef(emu, rel.createdBy),
    ...(expand.environments ? { environments: rel.environments.map((e) => environmentView(emu, rel, e)) } : {}),
    variables: expand.variables ? rel.variables : {}, variableGroups: [],
    ...(expand.artifacts ? { artifacts: rel.artifacts } : {}),
    releaseDefinition: def ? definitionRef(emu, def) : {},
    description: rel.description, reason: rel.reason, releaseNameFormat: 'Release-$(rev:r)', keepForever: false,
    definitionSnapshotRevision: def?.revision ?? 1, logsContainerUrl: `${ref['url'] as string}/logs`,
    url: ref['url'], _links: ref['_links'], tags: [], projectReference: { id, name }, properties: {},
  };
}

export function definitionView(emu: EmulatorContext, def: ReleaseDefinitionRec): Record<string, unknown> {
  return {
    ...definitionRef(emu, def), revision: def.revision, source: 'restApi', description: '', createdOn: def.createdOn, modifiedOn: def.createdOn,
    isDeleted: false, releaseNameFormat: 'Release-$(rev:r)',
    variables: Object.fromEntries(Object.entries(def.variables).map(([k, v]) => [k, { value: v.value, allowOverride: v.allowOverride }])),
    environments: def.environments.map((e) => ({
      id: e.id, name: e.name, rank: e.rank,
      preDeployApprovals: { approvals: [e.preApprover ? { rank: 1, isAutomated: false, isNotificationOn: true, approver: identityRef(emu, e.preApprover), id: e.id * 10 } : { rank: 1, isAutomated: true, isNotificationOn: false, id: e.id * 10 }] },
      conditions: e.rank === 1 ? [{ name: 'ReleaseStarted', conditionType: 'event', value: '' }] : [{ name: def.environments.find((p) => p.rank === e.rank - 1)?.name ?? '', conditionType: 'environmentState', value: '4' }],
    })),
  };
}
