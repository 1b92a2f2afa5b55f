/** Model rules in words, for `help promote` and `whoami`: which rule a model gets, and what it sets. */
import { fmtPercent } from '../promotion/format';
import type { BotSettings, ModelRule, ReleaseSettings } from '../settings';
import { ruleLabel } from './model-policy';

function releaseText(env: string, r: ReleaseSettings): string {
  return r.kind === 'classic' ? `${env} release ${r.definition}/${r.stage}` : `${env} pipeline ${r.pipeline} (${r.environment})`;
}

export function describeRule(rule: ModelRule): string {
  const parts: string[] = [];
  if (rule.guard) parts.push(`guard ${rule.guard.metric} (${rule.guard.goal}, tolerance ${fmtPercent(rule.guard.tolerance)})`);
  for (const [env, r] of Object.entries(rule.release ?? {})) parts.push(releaseText(env, r));
  if (rule.serving) parts.push(`serving ${rule.serving.kind} ${rule.serving.endpoint}`);
  if (rule.rollout) parts.push(`rollout ${rule.rollout.steps.join('/')}%`);
  return `${ruleLabel(rule)}: ${parts.join(', ')}`;
}

/** One line per rule in order, then what the others get. Empty when there are no rules. */
export function describeRules(settings: Pick<BotSettings, 'models'>): string[] {
  const rules = settings.models ?? [];
  if (rules.length === 0) return [];
  return [...rules.map(describeRule), 'any other model: its environment\'s settings'];
}
