/**
 * Everything a promotion needs to know before it is created: the environment, the version, the
 * version currently in the target (the baseline), the guard verdict and the promotion order.
 * Reads only; `--dry-run` is this plus the reducer, without the commit.
 */
import { BotError } from '../errors';
import type { ModelVersionInfo } from '../models';
import { modelNamesForHints } from '../catalogue/model-catalogue';
import { olderThanPage } from '../catalogue/page-reach';
import type { Clock, ModelRegistry, Serving, Store } from '../ports';
import { servedInEnv } from '../serving/baseline';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { findEnvironment } from '../settings';
import { effectivePolicy, ruleLabel, type EffectivePolicy } from '../policy/model-policy';
import type { OrderCheck } from './events';
import { evaluateGuard } from './guard';
import { checkOrder, envsFromTags } from './order';
import type { GuardResult, PromotionRequest } from './types';

/** The newest versions read in one round trip; an older version asked for is read directly. */
const RECENT = 20;

export interface PromotionPlan {
  model: string;
  version: string;
  sourceEnv: string;
  targetEnv: string;
  baselineVersion?: string;
  guard?: GuardResult;
  order: OrderCheck;
  /** The settings that apply to this model in the target (the first matching model rule over the environment's). */
  policy: EffectivePolicy;
}

export function resolveTargetEnv(settings: BotSettings, name: string): EnvironmentSettings {
  const targets = settings.environments.filter((e) => e.name.toLowerCase() !== settings.source.toLowerCase()).map((e) => e.name);
  const env = findEnvironment(settings, name);
  if (!env) {
    throw new BotError('unknown_env', `There is no environment "${name}".`, { remedy: `Promote to one of: ${targets.join(', ')}.` });
  }
  if (env.name.toLowerCase() === settings.source.toLowerCase()) {
    throw new BotError('usage', `${env.name} is where models are registered; it cannot be a promotion target.`, { remedy: `Promote to one of: ${targets.join(', ')}.` });
  }
  return env;
}

export async function planPromotion(
  deps: { store: Store; registry: ModelRegistry; settings: BotSettings; clock?: Clock; serving?: Serving },
  input: { model: string; env: EnvironmentSettings; version?: string },
): Promise<PromotionPlan> {
  const { store, registry, settings } = deps;
  const source = settings.source;
  const target = input.env.name;
  const wanted = input.version?.replace(/^v/i, '');
  // From the store first (no round trip): the request history, and which of the versions asked for
  // or last promoted are surely older than the newest page (read beside it rather than after it).
  const succeeded = await store.listRequests({ states: ['succeeded'], model: input.model });
  const lastInTarget = newestSucceeded(succeeded, target)?.version;
  const early = await olderThanPage(store, source, input.model, [wanted, lastInTarget], RECENT);
  const earlyReads = Promise.all(early.map((v) => registry.getVersion(source, input.model, v)));
  earlyReads.catch(() => undefined);
  // Round trip 1, together: the newest versions, those older ones, and what serves the target (the
  // guard's baseline is the version with the most traffic; one round with a serving setting or
  // with the target's endpoints remembered from an earlier read).
  const [page, , served] = await Promise.all([
    registry.recentVersions(source, input.model, RECENT),
    registry.prepareMetrics(source),
    servedInEnv(deps.serving, settings, input.model, target, store).catch(() => undefined),
  ]);
  if (!page || page.versions.length === 0) {
    const { names } = await modelNamesForHints({ registry, store, clock: deps.clock ?? { now: () => new Date() } }, source);
    throw new BotError('unknown_model', `There is no model "${input.model}" in ${source}.`, {
      remedy: names.length ? `Models in ${source}: ${[...names].sort().slice(0, 20).join(', ')}.` : `No models are registered in ${source} yet.`,
    });
  }
  // Round trip 2, only when a version needed is older than the newest page and was not read beside it.
  const known = (v: string) => page.versions.some((x) => x.version === v) || early.includes(v);
  const missing = [wanted, lastInTarget, served?.version].filter((v): v is string => v !== undefined && !known(v));
  const [readEarly, readLate] = await Promise.all([earlyReads, Promise.all([...new Set(missing)].map((v) => registry.getVersion(source, input.model, v)))]);
  const older = [...readEarly, ...readLate].filter((v): v is ModelVersionInfo => v !== null);
  const versions = [...page.versions, ...older];
  const candidate = pickVersion(versions, input.model, source, input.version);
  const baseline = (served && versions.find((v) => v.version === served.version)) || findBaseline(succeeded.filter((r) => r.model === candidate.name), versions, target);
  const policy = effectivePolicy(settings, candidate.name, input.env);
  let guard: GuardResult | undefined;
  if (policy.guard) {
    const runs = [candidate.jobName, baseline?.jobName].filter((x): x is string => x !== undefined);
    const metrics = runs.length ? await registry.getMetrics(source, [...new Set(runs)]) : {};
    guard = evaluateGuard(policy.guard, {
      targetEnv: target,
      origin: policy.sources.guard === 'rule' && policy.rule ? ruleLabel(policy.rule) : `environment ${target}`,
      candidate: { version: candidate.version, metrics: candidate.jobName ? metrics[candidate.jobName] : undefined },
      baseline: baseline && { version: baseline.version, metrics: baseline.jobName ? metrics[baseline.jobName] : undefined },
    });
  }
  const reached = new Set([
    ...succeeded.filter((r) => r.version === candidate.version).map((r) => r.targetEnv),
    ...envsFromTags(candidate.tags),
  ]);
  const order = checkOrder(settings.promotionOrder, { model: candidate.name, version: candidate.version, sourceEnv: source, targetEnv: target, reached });
  return { model: candidate.name, version: candidate.version, sourceEnv: source, targetEnv: target, baselineVersion: baseline?.version, guard, order, policy };
}

function pickVersion(versions: ModelVersionInfo[], model: string, source: string, wanted?: string): ModelVersionInfo {
  if (wanted === undefined) return versions[0];
  const v = wanted.replace(/^v/i, '');
  const found = versions.find((x) => x.version === v);
  if (found) return found;
  const list = versions.slice(0, 15).map((x) => x.version).join(', ');
  throw new BotError('unknown_version', `${model} has no version ${v} in ${source}.`, {
    remedy: `Versions of ${model} (newest first): ${list}${versions.length > 15 ? ', …' : ''}.`,
  });
}

/** The bot's own history first; the `mlops-env-<env>` tag (newest time wins) as the fallback. */
function newestSucceeded(succeeded: PromotionRequest[], target: string): PromotionRequest | undefined {
  return succeeded
    .filter((r) => r.targetEnv.toLowerCase() === target.toLowerCase())
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
}

function findBaseline(succeeded: PromotionRequest[], versions: ModelVersionInfo[], target: string): ModelVersionInfo | undefined {
  const last = newestSucceeded(succeeded, target);
  if (last) {
    const v = versions.find((x) => x.version === last.version);
    if (v) return v;
  }
  const tag = `mlops-env-${target}`;
  return versions
    .filter((v) => v.tags[tag] !== undefined)
    .sort((a, b) => b.tags[tag].localeCompare(a.tags[tag]))[0];
}
