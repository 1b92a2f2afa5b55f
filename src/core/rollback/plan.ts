/**
 * Everything a rollback needs to know before it is created, read in one round of parallel calls
 * (plus the endpoints' deployments): what serves now, which version to go back to, and whether a
 * deployment of it is still on the endpoint (a traffic switch) or it must be released again.
 */
import { BotError } from '../errors';
import { normaliseVersion, unknownModel } from '../commands/lookup';
import { placementsFromTags } from '../commands/placements';
import type { ModelVersionInfo } from '../models';
import type { Clock, ModelRegistry, Serving, Store } from '../ports';
import type { PromotionRequest } from '../promotion/types';
import { readServing } from '../serving/read';
import { servingLookup } from '../serving/rule';
import { deploymentsOf, primaryServed } from '../serving/served';
import type { EnvServing, OnlineEndpointView } from '../serving/types';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { previousVersion } from './previous';
import type { RollbackPlan } from './types';

export interface RollbackDeps { store: Store; registry: ModelRegistry; serving?: Serving; settings: BotSettings; clock: Clock }

/** Versions read at once: enough for the tags of any recent placement. */
const RECENT = 50;

export interface PlannedRollback { model: string; version: string; plan: RollbackPlan }

export async function planRollback(deps: RollbackDeps, input: { model: string; env: EnvironmentSettings; to?: string }): Promise<PlannedRollback> {
  const { settings, registry, store } = deps;
  const env = input.env.name;
  const [read, versions, history] = await Promise.all([
    deps.serving ? readServing(deps.serving, [env], { servingOf: servingLookup(settings, input.model), memory: store }).then(([r]) => r) : Promise.resolve<EnvServing>({ env, online: [], batch: [] }),
    // The newest versions carry the placement tags a fallback needs; an older --to is read on its own below.
    registry.recentVersions(settings.source, input.model, RECENT).then((p) => p?.versions ?? null),
    store.listRequests({ states: ['succeeded'], model: input.model }),
  ]);
  if (read.error) {
    throw new BotError('upstream_unavailable', `The bot could not read what serves ${input.model} in ${env}: ${read.error}`, { remedy: 'Try again in a moment; a rollback needs to know what serves now.' });
  }
  const mine = deploymentsOf(input.model, read);
  if (!versions?.length && mine.length === 0) throw await unknownModel({ registry, store, clock: deps.clock }, settings.source, input.model);
  const served = primaryServed(input.model, read);
  const tagged = taggedNewestFirst(versions ?? [], env);
  const current = served?.version ?? newestInHistory(history, env) ?? tagged[0];
  const servingEndpoint = served?.kind === 'online' ? served.endpoint : undefined;
  const choice = input.to !== undefined
    ? { version: normaliseVersion(input.to), from: '--to' }
    : previousVersion({ model: input.model, env, current, history, deployments: servingEndpoint?.deployments ?? [], tagged });
  if (!choice) {
    throw new BotError('usage', `No version of ${input.model} before v${current ?? '?'} is known in ${env}.`, { remedy: `Name one with: rollback ${input.model} ${env} --to <version>` });
  }
  if (choice.version === current) {
    throw new BotError('invalid_state', `v${current} of ${input.model} already serves ${env}.`, { remedy: `See what serves with: whereis ${input.model}` });
  }
  const inSource = (versions ?? []).some((v) => v.version === choice.version)
    || (choice.from === '--to' && (await registry.getVersion(settings.source, input.model, choice.version)) !== null);
  const onEndpoint = findDeployment(input.model, choice.version, read.online, servingEndpoint);
  if (onEndpoint) {
    const { endpoint, deployment } = onEndpoint;
    const trafficAfter = Object.fromEntries([...new Set([...Object.keys(endpoint.traffic), ...endpoint.deployments.map((d) => d.name)])].map((d) => [d, d === deployment ? 100 : 0]));
    const deploymentVersions = Object.fromEntries(endpoint.deployments.filter((d) => d.model).map((d) => [d.name, d.model!.version]));
    return {
      model: input.model, version: choice.version,
      plan: { mode: 'traffic', fromVersion: current, endpoint: endpoint.name, deployment, trafficBefore: { ...endpoint.traffic }, trafficAfter, deploymentVersions, chosenFrom: choice.from, tagSource: inSource },
    };
  }
  if (!inSource) {
    const list = (versions ?? []).slice(0, 15).map((v) => v.version).join(', ');
    throw new BotError('unknown_version', `${input.model} has no version ${choice.version} in ${settings.source}, and no deployment of it is left in ${env}.`, { remedy: `Versions of ${input.model}: ${list || 'none'}.` });
  }
  if (!input.env.release) {
    throw new BotError('invalid_state', `No deployment of ${input.model} v${choice.version} is left in ${env}, and ${env} has no release to deploy it again.`, { remedy: `Configure a release for ${env}, or deploy v${choice.version} to an endpoint first.` });
  }
  return { model: input.model, version: choice.version, plan: { mode: 'release', fromVersion: current, chosenFrom: choice.from, tagSource: true } };
}

/** The serving endpoint first, then any other online endpoint that still has the version. */
function findDeployment(model: string, version: string, online: OnlineEndpointView[], first?: OnlineEndpointView): { endpoint: OnlineEndpointView; deployment: string } | undefined {
  const ordered = first ? [first, ...online.filter((e) => e.name !== first.name)] : online;
  for (const endpoint of ordered) {
    const hit = endpoint.deployments
      .filter((d) => d.model?.name.toLowerCase() === model.toLowerCase() && d.model.version === version)
      .sort((a, b) => Number(b.state === 'succeeded') - Number(a.state === 'succeeded'))[0];
    if (hit) return { endpoint, deployment: hit.name };
  }
  return undefined;
}

function newestInHistory(history: PromotionRequest[], env: string): string | undefined {
  return history.filter((r) => r.targetEnv.toLowerCase() === env.toLowerCase()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]?.version;
}

function taggedNewestFirst(versions: ModelVersionInfo[], env: string): string[] {
  const key = `mlops-env-${env}`.toLowerCase();
  const at = (v: ModelVersionInfo) => Object.entries(v.tags).find(([k]) => k.toLowerCase() === key)?.[1];
  const newest = placementsFromTags(versions, [env]).get(env);
  const rest = versions.filter((v) => at(v) !== undefined && v.version !== newest).sort((a, b) => (at(b) ?? '').localeCompare(at(a) ?? ''));
  return [...(newest ? [newest] : []), ...rest.map((v) => v.version)];
}
