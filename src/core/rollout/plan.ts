/**
 * What a rollout needs before it starts, read in one round of parallel calls (DESIGN 9.4 and 9.8):
 * the model's online endpoint in the environment (its `serving` setting), the deployment that takes
 * the traffic (the baseline) and the one holding a newer version of the model at 0% (the canary).
 * Anything missing is a clear refusal and nothing changes.
 */
import { BotError } from '../errors';
import { effectivePolicy, ruleLabel } from '../policy/model-policy';
import type { Serving } from '../ports';
import type { OnlineDeploymentInfo, OnlineEndpointInfo } from '../serving/types';
import type { EnvironmentSettings, RolloutSettings } from '../settings';
import { intervalText } from './figures-text';

export const ROLLOUT_DEFAULTS: RolloutSettings = { steps: [10, 50, 100], everyMs: 15 * 60_000, maxErrorRate: 0.01, maxLatencyIncrease: 0.25 };

export interface RolloutPlan {
  endpoint: string;
  canary: OnlineDeploymentInfo & { model: NonNullable<OnlineDeploymentInfo['model']> };
  baseline: OnlineDeploymentInfo;
  others: Record<string, number>;
  settings: RolloutSettings;
  policySource: string;
}

/** The online endpoint of the model in the environment, from its rule or the environment (no Azure call). */
export function rolloutTarget(settings: { models?: Parameters<typeof effectivePolicy>[0]['models'] }, model: string, env: EnvironmentSettings, overrides: { steps?: number[]; everyMs?: number }) {
  const policy = effectivePolicy(settings, model, env);
  const serving = policy.serving;
  if (!serving) {
    throw new BotError('invalid_state', `No online endpoint is set for ${model} in ${env.name}.`, {
      remedy: `Add serving: { kind: online, endpoint: <name> } to a models: rule for ${model} (or to ${env.name}) in the configuration.`,
    });
  }
  if (serving.kind !== 'online') {
    throw new BotError('invalid_state', `${model} is served by batch endpoint ${serving.endpoint} in ${env.name}; a rollout moves live traffic of an online endpoint.`, { remedy: `See what serves with: whereis ${model}` });
  }
  const base = policy.rollout ?? ROLLOUT_DEFAULTS;
  const source = policy.sources.rollout === 'rule' && policy.rule ? ruleLabel(policy.rule) : policy.sources.rollout === 'environment' ? `environment ${env.name}` : 'defaults';
  const settingsOut: RolloutSettings = { ...base, ...(overrides.steps ? { steps: overrides.steps } : {}), ...(overrides.everyMs ? { everyMs: overrides.everyMs } : {}) };
  return { endpoint: serving.endpoint, settings: settingsOut, policySource: source };
}

export async function readRolloutPlan(serving: Serving, model: string, env: string, target: ReturnType<typeof rolloutTarget>): Promise<RolloutPlan> {
  const [endpoint, deployments] = await Promise.all([serving.getOnlineEndpoint(env, target.endpoint), serving.listOnlineDeployments(env, target.endpoint)]);
  if (!endpoint || !deployments) {
    throw new BotError('invalid_state', `Online endpoint ${target.endpoint} does not exist in ${env}.`, { remedy: `See the endpoints with: endpoints --env ${env}` });
  }
  if (endpoint.state !== 'succeeded') {
    throw new BotError('invalid_state', `Online endpoint ${target.endpoint} in ${env} is ${endpoint.rawState ?? endpoint.state}, not online.`, { remedy: 'Wait until it is Succeeded, then start the rollout again.' });
  }
  const { baseline, canary } = pickDeployments(model, env, endpoint, deployments);
  const others = Object.fromEntries(Object.entries(endpoint.traffic).filter(([d]) => d !== baseline.name && d !== canary.name));
  return { endpoint: target.endpoint, baseline, canary, others, settings: target.settings, policySource: target.policySource };
}

const num = (v: string): number => (Number.isFinite(Number(v)) ? Number(v) : -1);
const isModel = (d: OnlineDeploymentInfo, model: string) => d.model?.name.toLowerCase() === model.toLowerCase();
const describe = (e: OnlineEndpointInfo, ds: OnlineDeploymentInfo[]) => ds.map((d) => `${d.name} ${d.model ? `${d.model.name} v${d.model.version}` : '?'} ${e.traffic[d.name] ?? 0}%`).join(', ') || 'no deployments';

function pickDeployments(model: string, env: string, endpoint: OnlineEndpointInfo, deployments: OnlineDeploymentInfo[]): Pick<RolloutPlan, 'baseline' | 'canary'> {
  const traffic = (d: OnlineDeploymentInfo) => endpoint.traffic[d.name] ?? 0;
  const now = `${endpoint.name} in ${env} has ${describe(endpoint, deployments)}`;
  const baseline = deployments.find((d) => traffic(d) === 100);
  if (!baseline) {
    throw new BotError('invalid_state', `No deployment takes all the traffic of ${endpoint.name} in ${env} (${describe(endpoint, deployments)}).`, {
      remedy: `A rollout starts from one deployment at 100%: set it first with traffic ${endpoint.name} ${env} <deployment>=100`,
    });
  }
  const base = baseline.model?.version;
  const canary = deployments
    .filter((d): d is RolloutPlan['canary'] => isModel(d, model) && traffic(d) === 0 && d.state === 'succeeded' && d.name !== baseline.name)
    .filter((d) => base === undefined || !isModel(baseline, model) || num(d.model.version) > num(base))
    .sort((a, b) => num(b.model.version) - num(a.model.version))[0];
  if (!canary) {
    throw new BotError('invalid_state', `No newer version of ${model} waits at 0% on its own deployment: ${now}.`, {
      remedy: `Deploy the new version to a deployment of ${endpoint.name} at 0% first (the release's blue/green step), then start the rollout; to go back to an older version use: rollback ${model} ${env}`,
    });
  }
  return { baseline, canary };
}

/** `--steps 10,50,100`: whole percentages rising to 100. */
export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const steps = parts.map(Number);
  if (parts.some((p) => !/^\d{1,3}$/.test(p)) || steps.some((s) => s < 1 || s > 100) || steps.some((s, i) => i > 0 && s <= steps[i - 1]) || steps.at(-1) !== 100) {
    throw new BotError('usage', `--steps ${text} is not a list of rising percentages ending at 100.`, { remedy: 'Write them like --steps 10,50,100' });
  }
  return steps;
}

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };
export const MIN_EVERY_MS = 10_000;
export const MAX_EVERY_MS = 24 * 3_600_000;

/** `--every 30s`, `15m`, `1h`, `1h30m`: from 10 s to 24 h. */
export function parseEvery(text: string): number {
  const t = text.trim().toLowerCase();
  let ms = 0;
  if (/^(\d{1,5}[smh])+$/.test(t)) for (const [, n, u] of t.matchAll(/(\d+)([smh])/g)) ms += Number(n) * UNIT[u];
  if (ms < MIN_EVERY_MS || ms > MAX_EVERY_MS) {
    throw new BotError('usage', `--every ${text} is not an interval from ${intervalText(MIN_EVERY_MS)} to 24 h.`, { remedy: 'Write it like --every 30s, --every 15m or --every 1h' });
  }
  return ms;
}
