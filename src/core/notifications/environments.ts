/**
 * Which configured environment an upstream event belongs to: Azure ML events name their workspace
 * by ARM id, Azure DevOps events name a release stage or a pipeline environment.
 */
import { releasesOfEnv } from '../policy/model-policy';
import type { BotSettings, EnvironmentSettings } from '../settings';

export interface WorkspaceId { subscriptionId: string; resourceGroup: string; name: string; armId: string }

const WORKSPACE_ID = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)/i;

export function parseWorkspaceId(topicOrSource: string | undefined): WorkspaceId | undefined {
  if (!topicOrSource) return undefined;
  const m = WORKSPACE_ID.exec(topicOrSource);
  if (!m) return undefined;
  return { subscriptionId: m[1], resourceGroup: m[2], name: m[3], armId: m[0] };
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** A full match (subscription, group, name) wins over a name-only one: two clouds may reuse names. */
export function envOfWorkspace(settings: BotSettings, ws: WorkspaceId | undefined): EnvironmentSettings | undefined {
  if (!ws) return undefined;
  const byName = settings.environments.filter((e) => same(e.workspace.name, ws.name));
  return byName.find((e) => same(e.workspace.subscriptionId, ws.subscriptionId) && same(e.workspace.resourceGroup, ws.resourceGroup)) ?? byName[0];
}

/** Azure DevOps names: the environment itself, its classic stage, or its YAML pipeline environment. */
export function envOfStage(settings: BotSettings, name: string | undefined): EnvironmentSettings | undefined {
  if (!name) return undefined;
  // Model rules may release an environment through another stage or pipeline environment than its own.
  const names = (e: EnvironmentSettings) => releasesOfEnv(settings, e).map((r) => (r.kind === 'classic' ? r.stage : r.environment));
  return settings.environments.find((e) => same(e.name, name))
    ?? settings.environments.find((e) => names(e).some((n) => same(n, name)));
}
