/**
 * Azure DevOps service-hook deliveries → NormalisedEvent. The envelope `id` identifies the event
 * across redeliveries (webhooks add `notificationId`, which differs per attempt).
 */
import type { BotSettings } from '../settings';
import { envOfStage } from './environments';
import { excerpt, lower, obj, str, type EventKind, type NormalisedEvent } from './event';
import { classifyDeployment, releaseWebUrl } from './release-outcome';

type Json = Record<string, unknown>;

const RUN_RESULT: Record<string, EventKind> = {
  failed: 'run_failed', succeeded: 'run_succeeded', partiallysucceeded: 'run_succeeded', succeededwithissues: 'run_succeeded',
  canceled: 'run_canceled', stopped: 'run_canceled',
};
const STAGE_RESULT: Record<string, EventKind> = {
  failed: 'release_failed', succeeded: 'release_succeeded', succeededwithissues: 'release_succeeded',
  partiallysucceeded: 'release_failed', canceled: 'release_canceled', rejected: 'release_rejected',
};
const VERB: Partial<Record<EventKind, string>> = {
  run_failed: 'failed', run_succeeded: 'succeeded', run_canceled: 'was canceled',
  release_failed: 'failed', release_succeeded: 'succeeded', release_canceled: 'was canceled', release_rejected: 'was rejected at approval',
};

export function normaliseServiceHook(body: unknown, settings: BotSettings): NormalisedEvent | null {
  const hook = obj(body);
  const id = str(hook.id);
  const type = lower(hook.eventType);
  if (!id || !type) return null;
  const resource = obj(hook.resource);
  const base = {
    id: `ado:${id}`,
    source: 'azure-devops' as const,
    occurredAt: str(hook.createdDate) ?? new Date(0).toISOString(),
  };
  const detail = excerpt(str(obj(hook.detailedMessage).text) ?? str(obj(hook.message).text));
  switch (type) {
    case 'build.complete': return build(resource, base, detail);
    case 'ms.vss-pipelines.run-state-changed-event': return pipelineRun(resource, base, detail);
    case 'ms.vss-pipelines.stage-state-changed-event': return stage(resource, base, detail, settings);
    case 'ms.vss-release.deployment-completed-event': return deployment(resource, base, detail, settings);
    case 'ms.vss-release.deployment-approval-pending-event': return classicApproval(resource, base, settings);
    case 'ms.vss-pipelinechecks-events.approval-pending': return checkApproval(resource, hook, base, settings);
    default: return null;
  }
}

type Base = Pick<NormalisedEvent, 'id' | 'source' | 'occurredAt'>;

function build(r: Json, base: Base, detail?: string): NormalisedEvent | null {
  // Older payloads put the outcome in `status`; newer ones say `completed` there and use `result`.
  const outcome = lower(r.status) === 'completed' ? lower(r.result) : lower(r.status);
  const kind = RUN_RESULT[outcome];
  if (!kind) return null;
  const pipeline = str(obj(r.definition).name);
  const subject = str(r.buildNumber) ?? str(r.id) ?? 'build';
  const requested = obj(obj((r.requests as unknown[] | undefined)?.[0]).requestedFor);
  return {
    ...base, kind, pipeline, subject, status: str(r.result) ?? str(r.status),
    title: `Build ${pipeline ? `${pipeline} ` : ''}${subject} ${VERB[kind]}`,
    error: kind === 'run_failed' ? detail : undefined,
    links: { run: href(r, 'web') ?? buildWebUrl(str(r.url), str(r.id)) },
    owner: str(obj(r.requestedFor).displayName) ?? str(requested.displayName),
  };
}

function pipelineRun(r: Json, base: Base, detail?: string): NormalisedEvent | null {
  const run = obj(r.run);
  if (lower(run.state) !== 'completed') return null;
  const kind = RUN_RESULT[lower(run.result)];
  if (!kind) return null;
  const pipeline = str(obj(r.pipeline).name) ?? str(obj(run.pipeline).name);
  const subject = str(run.name) ?? str(run.id) ?? 'run';
  return {
    ...base, kind, pipeline, subject, status: str(run.result),
    title: `Pipeline ${pipeline ?? ''} run ${subject} ${VERB[kind]}`.replace(/\s+/g, ' '),
    error: kind === 'run_failed' ? detail : undefined,
    links: { run: href(run, 'web') },
  };
}

function stage(r: Json, base: Base, detail: string | undefined, settings: BotSettings): NormalisedEvent | null {
  const s = obj(r.stage);
  if (lower(s.state) !== 'completed') return null;
  const kind = STAGE_RESULT[lower(s.result)];
  const name = str(s.name);
  const env = envOfStage(settings, name);
  // Only stages that deploy to a configured environment are releases; CI stages are runs.
  if (!kind || !env) return null;
  const run = obj(r.run);
  const pipeline = str(obj(r.pipeline).name) ?? str(obj(run.pipeline).name);
  const subject = `${pipeline ?? 'pipeline'} run ${str(run.name) ?? str(run.id) ?? '?'}`;
  return {
    ...base, kind, env: env.name, pipeline, subject, status: str(s.result),
    title: `Release ${subject} ${VERB[kind]} in ${env.name}`,
    error: kind === 'release_failed' ? detail : undefined,
    links: { run: href(s, 'web') ?? href(run, 'web') },
  };
}

function deployment(r: Json, base: Base, detail: string | undefined, settings: BotSettings): NormalisedEvent | null {
  const environment = obj(r.environment);
  const outcome = classifyDeployment(r);
  if (!outcome) return null;
  const release = obj(environment.release);
  const stageName = str(environment.name);
  const env = envOfStage(settings, stageName);
  const subject = str(release.name) ?? `release ${str(environment.releaseId) ?? '?'}`;
  const where = env?.name ?? stageName ?? '?';
  const owner = obj(obj(r.deployment).requestedFor).displayName ?? obj(environment.owner).displayName;
  return {
    ...base, kind: outcome.kind, env: env?.name, subject, status: outcome.status,
    pipeline: str(obj(environment.releaseDefinition).name) ?? str(obj(obj(r.release).releaseDefinition).name),
    title: `Release ${subject} ${VERB[outcome.kind]} in ${where}`,
    error: outcome.kind === 'release_failed' || outcome.kind === 'release_rejected' ? detail : undefined,
    links: { run: releaseWebUrl(str(release.url), str(release.id)) },
    owner: str(owner),
  };
}

function classicApproval(r: Json, base: Base, settings: BotSettings): NormalisedEvent {
  const approval = obj(r.approval);
  const release = obj(approval.release).name !== undefined ? obj(approval.release) : obj(r.release);
  const stageName = str(obj(approval.releaseEnvironment).name);
  const env = envOfStage(settings, stageName);
  const subject = str(release.name) ?? 'release';
  const firstEnv = obj((obj(r.release).environments as unknown[] | undefined)?.[0]);
  const releaseUrl = str(obj(r.release).url) ?? str(obj(firstEnv.release).url);
  return {
    ...base, kind: 'approval_pending', env: env?.name, subject, status: str(approval.status),
    pipeline: str(obj(approval.releaseDefinition).name),
    title: `Approval pending: ${subject} to ${env?.name ?? stageName ?? '?'}`,
    links: { run: releaseWebUrl(releaseUrl, str(release.id)) },
    owner: str(obj(approval.approver).displayName),
  };
}

function checkApproval(r: Json, hook: Json, base: Base, settings: BotSettings): NormalisedEvent {
  const stageName = str(r.stageName) ?? str(obj(r.stage).name);
  const env = envOfStage(settings, stageName);
  const run = obj(r.run);
  const pipeline = str(obj(r.pipeline).name) ?? str(obj(run.pipeline).name);
  const subject = str(run.name) ? `${pipeline ?? 'pipeline'} run ${str(run.name)}` : (pipeline ?? 'pipeline run');
  const text = `${str(obj(hook.message).html) ?? ''} ${str(obj(hook.message).text) ?? ''}`;
  return {
    ...base, kind: 'approval_pending', env: env?.name, subject, pipeline, status: str(obj(r.approval).status),
    title: `Approval pending: ${str(obj(hook.message).text) ?? subject}`,
    links: { run: href(run, 'web') ?? /https?:\/\/[^\s"'<>]*_build\/results\?buildId=\d+/.exec(text)?.[0] },
  };
}

function href(o: Json, rel: string): string | undefined {
  return str(obj(obj(o._links)[rel]).href);
}

function buildWebUrl(apiUrl: string | undefined, id: string | undefined): string | undefined {
  if (!apiUrl || !id) return undefined;
  const m = /^(.*?)\/_apis\/build\/Builds\/\d+/i.exec(apiUrl);
  return m ? `${m[1]}/_build/results?buildId=${id}` : undefined;
}
