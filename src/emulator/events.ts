/**
 * Notifications the emulator raises, shaped as real deliveries: Event Grid events from Azure ML
 * (the Event Grid schema; a delivery is an array of these) and Azure DevOps service-hook payloads.
 */
import { randomUUID } from 'node:crypto';
import { approvalView, environmentView, releaseView } from './ado-release-views';
import type { CheckApprovalRec, PipelineRec, PipelineRunRec, ReleaseApprovalRec, ReleaseEnvRec, ReleaseRec } from './ado-types';
import { workspaceId } from './arm-common';
import type { EmulatorContext } from './context';
import { checkApprovalView, pipelineRef, runView } from './ado-pipelines-views';
import type { ArmRecord, WorkspaceState } from './state';

export interface EventGridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: string;
}

export interface ServiceHookDelivery {
  id: string;
  eventType: string;
  publisherId: string;
  scope?: string;
  message: { text: string; html: string; markdown: string };
  detailedMessage: { text: string; html: string; markdown: string };
  resource: Record<string, unknown>;
  resourceVersion: string;
  resourceContainers: Record<string, { id: string }>;
  createdDate: string;
}

export type EmulatorEvent =
  | { kind: 'eventgrid'; event: EventGridEvent }
  | { kind: 'servicehook'; delivery: ServiceHookDelivery };

function eventGrid(emu: EmulatorContext, ws: WorkspaceState, eventType: string, subject: string, data: Record<string, unknown>): EmulatorEvent {
  return {
    kind: 'eventgrid',
    event: {
      id: randomUUID(), topic: workspaceId(emu.state.subscriptionId, ws), subject,
      eventType: `Microsoft.MachineLearningServices.${eventType}`, eventTime: emu.clock.now().toISOString(),
      data, dataVersion: '', metadataVersion: '1',
    },
  };
}

export function modelRegisteredEvent(emu: EmulatorContext, ws: WorkspaceState, name: string, version: string, tags: Record<string, string>): EmulatorEvent {
  return eventGrid(emu, ws, 'ModelRegistered', `models/${name}:${version}`, {
    ModelName: name, ModelVersion: version, ModelTags: tags, ModelProperties: {},
  });
}

/** RunStatusChanged (and RunCompleted for completed runs), camelCase data as the service sends. */
export function runEvents(emu: EmulatorContext, ws: WorkspaceState, jobName: string, job: ArmRecord): EmulatorEvent[] {
  const props = job.properties;
  const experimentName = String(props['experimentName'] ?? 'Default');
  const experimentId = ws.experiments[experimentName]?.id ?? '';
  const status = String(props['status'] ?? '');
  const data = {
    experimentId, experimentName, runId: jobName, runType: null,
    runTags: props['tags'] ?? {}, runProperties: props['properties'] ?? {},
  };
  const subject = `experiments/${experimentId}/runs/${jobName}`;
  const events = [eventGrid(emu, ws, 'RunStatusChanged', subject, { ...data, runStatus: status.toLowerCase() })];
  if (status === 'Completed') events.push(eventGrid(emu, ws, 'RunCompleted', subject, data));
  return events;
}

function hook(emu: EmulatorContext, eventType: string, publisherId: string, text: string, resource: Record<string, unknown>, resourceVersion: string): EmulatorEvent {
  const { id: projectId } = emu.state.ado.project;
  return {
    kind: 'servicehook',
    delivery: {
      id: randomUUID(), eventType, publisherId, ...(publisherId === 'rm' ? { scope: 'all' } : {}),
      message: { text, html: text, markdown: text },
      detailedMessage: { text, html: text, markdown: text },
      resource, resourceVersion,
      resourceContainers: { collection: { id: projectId }, account: { id: projectId }, project: { id: projectId } },
      createdDate: emu.clock.now().toISOString(),
    },
  };
}

const STATUS_WORD: Record<string, string> = { succeeded: 'Succeeded', rejected: 'Rejected', canceled: 'Canceled', partiallySucceeded: 'Partially succeeded' };

export function deploymentCompletedEvent(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec): EmulatorEvent {
  // Service-hook deliveries carry two fields the REST answer leaves out.
  const environment: Record<string, unknown> = { ...environmentView(emu, rel, env), queueId: 1, scheduledDeploymentTime: null };
  const steps = environment['deploySteps'] as Record<string, unknown>[];
  return hook(emu, 'ms.vss-release.deployment-completed-event', 'rm',
    `Deployment of release ${rel.name} on environment ${env.name} ${STATUS_WORD[env.status] ?? env.status}.`,
    { environment, deployment: steps[0] ?? null, project: emu.state.ado.project }, '3.0-preview.1');
}

export function approvalPendingEvent(emu: EmulatorContext, rel: ReleaseRec, env: ReleaseEnvRec, ap: ReleaseApprovalRec): EmulatorEvent {
  return hook(emu, 'ms.vss-release.deployment-approval-pending-event', 'rm',
    `Pre deployment approval pending for release ${rel.name} on environment ${env.name}.`,
    { approval: approvalView(emu, ap), release: releaseView(emu, rel), project: emu.state.ado.project }, '3.0-preview.1');
}

export function runStateChangedEvent(emu: EmulatorContext, run: PipelineRunRec, pipeline: PipelineRec): EmulatorEvent {
  const word = run.state === 'completed' ? (run.result ?? 'completed') : run.state === 'inProgress' ? 'started' : run.state;
  return hook(emu, 'ms.vss-pipelines.run-state-changed-event', 'pipelines', `Run ${run.name} ${word}.`,
    { run: runView(emu, run, pipeline), pipeline: pipelineRef(emu, pipeline) }, '5.1-preview.1');
}

export function checkApprovalPendingEvent(emu: EmulatorContext, ap: CheckApprovalRec, run: PipelineRunRec, pipeline: PipelineRec): EmulatorEvent {
  return hook(emu, 'ms.vss-pipelinechecks-events.approval-pending', 'pipelines',
    `Approval pending for deployment of pipeline ${run.name} to environment ${ap.environment}.`,
    {
      approval: checkApprovalView(emu, ap, true), projectId: emu.state.ado.project.id,
      pipeline: pipelineRef(emu, pipeline), stage: { name: ap.stageName }, run: runView(emu, run, pipeline),
      resource: null, id: run.id, url: null, stageName: ap.stageName, attemptId: 1,
    }, '5.1-preview.1');
}
