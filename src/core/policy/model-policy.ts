/**
 * The settings that apply to one model in one environment (DESIGN §9.1): the first `models:` rule
 * matching the model overrides the environment's guard, release, serving and rollout. Everything
 * that decides by model — the promotion guard, the release, the serving truth, progressive
 * rollout — asks here, so a rule means the same thing everywhere.
 */
import type {
  AsApprover, BotSettings, EnvironmentSettings, GuardSettings, ModelRule, ReleaseSettings, RolloutSettings, ServingSettings,
} from '../settings';
import { globMatches } from './glob';

/** Where a setting came from, for the promotion card, `help promote` and refusals. */
export type SettingSource = 'rule' | 'environment' | 'none';

export interface EffectivePolicy {
  model: string;
  env: EnvironmentSettings;
  /** The rule that matched, absent when none did. */
  rule?: ModelRule;
  guard?: GuardSettings;
  release?: ReleaseSettings;
  serving?: ServingSettings;
  rollout?: RolloutSettings;
  /** Who Azure DevOps records as the approver (DESIGN 9.6); `prefer-human` when nothing sets it. */
  asApprover: AsApprover;
  sources: { guard: SettingSource; release: SettingSource; serving: SettingSource; rollout: SettingSource; asApprover: SettingSource };
}

/** The first rule whose `match` is the model's name or a glob matching it. */
export function matchRule(rules: readonly ModelRule[] | undefined, model: string): ModelRule | undefined {
  return (rules ?? []).find((r) => globMatches(r.match, model));
}

/** `models[1] "taxi-*"`: how messages name a rule. */
export function ruleLabel(rule: ModelRule): string {
  return `models[${rule.index}] "${rule.match}"`;
}

export function effectivePolicy(settings: Pick<BotSettings, 'models'>, model: string, env: EnvironmentSettings): EffectivePolicy {
  const rule = matchRule(settings.models, model);
  const releaseOverride = rule?.release && Object.entries(rule.release).find(([name]) => name.toLowerCase() === env.name.toLowerCase())?.[1];
  const pick = <T>(fromRule: T | undefined, fromEnv: T | undefined): [T | undefined, SettingSource] =>
    fromRule !== undefined ? [fromRule, 'rule'] : fromEnv !== undefined ? [fromEnv, 'environment'] : [undefined, 'none'];
  const [guard, guardSource] = pick(rule?.guard, env.guard);
  const [release, releaseSource] = pick(releaseOverride, env.release);
  const [serving, servingSource] = pick(rule?.serving, env.serving);
  const [rollout, rolloutSource] = pick(rule?.rollout, env.rollout);
  const [asApprover, asApproverSource] = pick(rule?.approval?.asApprover, env.approval?.asApprover);
  return {
    model, env, ...(rule ? { rule } : {}),
    ...(guard ? { guard } : {}), ...(release ? { release } : {}), ...(serving ? { serving } : {}), ...(rollout ? { rollout } : {}),
    asApprover: asApprover ?? 'prefer-human',
    sources: { guard: guardSource, release: releaseSource, serving: servingSource, rollout: rolloutSource, asApprover: asApproverSource },
  };
}

/** One line saying which rule applied and what it set, e.g. for the promotion card. */
export function describePolicy(p: EffectivePolicy): string {
  if (!p.rule) return `environment ${p.env.name} settings (no model rule matches ${p.model})`;
  const set = (['guard', 'release', 'serving', 'rollout', 'asApprover'] as const).filter((k) => p.sources[k] === 'rule');
  return `${ruleLabel(p.rule)}${set.length ? ` (sets ${set.join(', ')})` : ''}`;
}

/** Every release a model can use in an environment: the environment's, and each rule's override for it. */
export function releasesOfEnv(settings: Pick<BotSettings, 'models'>, env: EnvironmentSettings): ReleaseSettings[] {
  const out = env.release ? [env.release] : [];
  for (const rule of settings.models ?? []) {
    const r = rule.release && Object.entries(rule.release).find(([name]) => name.toLowerCase() === env.name.toLowerCase())?.[1];
    if (r) out.push(r);
  }
  return out;
}
