/** Response shapes of YAML pipelines, their runs and environment-check approvals. */
import { identityRef, orgUrl } from './ado-common';
import type { CheckApprovalRec, PipelineRec, PipelineRunRec } from './ado-types';
import type { EmulatorContext } from './context';

function projectBase(emu: EmulatorContext): string {
  return `${orgUrl(emu)}/${emu.state.ado.project.id}`;
}

export function pipelineRef(emu: EmulatorContext, p: PipelineRec): Record<string, unknown> {
  return { url: `${projectBase(emu)}/_apis/pipelines/${p.id}?revision=${p.revision}`, id: p.id, revision: p.revision, name: p.name, folder: p.folder };
}

export function pipelineListItem(emu: EmulatorContext, p: PipelineRec): Record<string, unknown> {
  const base = projectBase(emu);
  return {
    _links: { self: { href: `${base}/_apis/pipelines/${p.id}?revision=${p.revision}` }, web: { href: `${base}/_build/definition?definitionId=${p.id}` } },
    ...pipelineRef(emu, p),
  };
}

export function pipelineView(emu: EmulatorContext, p: PipelineRec): Record<string, unknown> {
  const { id, name } = emu.state.ado.project;
  return {
    ...pipelineListItem(emu, p),
    configuration: {
      path: p.yamlPath,
      repository: { id: id, type: 'azureReposGit', name },
      type: 'yaml',
    },
  };
}

export function runView(emu: EmulatorContext, run: PipelineRunRec, p: PipelineRec): Record<string, unknown> {
  const base = projectBase(emu);
  const url = `${base}/_apis/pipelines/${p.id}/runs/${run.id}`;
  return {
    _links: {
      self: { href: url }, web: { href: `${base}/_build/results?buildId=${run.id}` },
      'pipeline.web': { href: `${base}/_build/definition?definitionId=${p.id}` },
      pipeline: { href: `${base}/_apis/pipelines/${p.id}?revision=${p.revision}` },
    },
    templateParameters: run.templateParameters,
    pipeline: pipelineRef(emu, p),
    state: run.state,
    ...(run.result ? { result: run.result } : {}),
    createdDate: run.createdDate,
    ...(run.finishedDate ? { finishedDate: run.finishedDate } : {}),
    url,
    resources: { repositories: { self: { repository: { type: 'azureReposGit' }, refName: run.refName, version: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } } },
    variables: Object.fromEntries(Object.entries(run.variables).map(([k, v]) => [k, v.isSecret ? { isSecret: true } : { value: v.value }])),
    id: run.id,
    name: run.name,
  };
}

/** `withPipeline`: the 7.2-preview.2 block linking an approval to its run (absent from older versions). */
export function checkApprovalView(emu: EmulatorContext, ap: CheckApprovalRec, withSteps: boolean, withPipeline = true): Record<string, unknown> {
  const base = projectBase(emu);
  const pipeline = emu.state.ado.pipelines.find((p) => p.id === ap.pipelineId);
  const run = emu.state.ado.runs.find((r) => r.id === ap.runId);
  const stepStatus = ap.status;
  return {
    id: ap.id,
    steps: withSteps ? [{
      assignedApprover: { displayName: ap.approver.displayName, id: ap.approver.id, uniqueName: ap.approver.uniqueName, descriptor: `aad.${Buffer.from(ap.approver.id).toString('base64url')}` },
      ...(ap.actualApprover ? { actualApprover: identityRef(emu, ap.actualApprover), lastModifiedBy: identityRef(emu, ap.actualApprover) } : {}),
      status: stepStatus, comment: ap.comment, lastModifiedOn: ap.lastModifiedOn, order: 1, initiatedOn: ap.createdOn, history: [],
    }] : [],
    status: ap.status,
    createdOn: ap.createdOn,
    lastModifiedOn: ap.lastModifiedOn,
    instructions: ap.instructions,
    executionOrder: 'anyOrder',
    minRequiredApprovers: 1,
    blockedApprovers: [],
    _links: { self: { href: `${base}/_apis/pipelines/approvals/${ap.id}` } },
    ...(withPipeline && pipeline && run ? {
      pipeline: {
        owner: {
          _links: { web: { href: `${base}/_build/results?buildId=${run.id}` }, self: { href: `${base}/_apis/build/Builds/${run.id}` } },
          id: run.id, name: run.name,
        },
        id: String(pipeline.id), name: pipeline.name,
      },
    } : {}),
  };
}
