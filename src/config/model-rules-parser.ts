/**
 * `models:` (DESIGN §9.1): rules matched by exact name or glob, first match wins. Every problem
 * names the rule (`models[1] ("taxi-*")`) and the field, with the fix.
 */
import { AS_APPROVER_MODES, type AsApprover, type GuardSettings, type ModelRule, type ReleaseSettings } from '../core/settings';
import type { IssueList } from './config-error';
import { parseGuard, parseRelease } from './environment-parser';
import { parseRollout, parseServing } from './serving-parser';
import { Fields, join } from './yaml-fields';

const RULE_KEYS = ['match', 'guard', 'release', 'serving', 'rollout', 'approval'];
const SETTING_KEYS = ['guard', 'release', 'serving', 'rollout', 'approval'];
const MATCH = /^[A-Za-z0-9_.*?-]+$/;

/** `known` resolves an environment name to its configured spelling (recording an issue when unknown). */
export function parseModelRules(
  items: { value: unknown; path: string }[], issues: IssueList, known: (name: string, path: string, what: string) => string | undefined,
): ModelRule[] {
  const rules: ModelRule[] = [];
  const firstOf = new Map<string, string>();
  items.forEach(({ value, path }, index) => {
    const label = ruleName(value, path);
    const f = Fields.of(value, label, issues, RULE_KEYS);
    if (!f) return;
    const match = f.str('match', '"taxi-*"');
    if (match !== undefined && !MATCH.test(match)) {
      issues.add(f.at('match'), `"${match}" is not a model name or glob.`, 'use letters, digits, . _ - and the wildcards * and ?, e.g. "taxi-*".');
      return;
    }
    if (match !== undefined) {
      const earlier = firstOf.get(match.toLowerCase());
      // First match wins, so a second rule with the same pattern would never apply.
      if (earlier) issues.add(f.at('match'), `"${match}" is already matched by ${earlier}, so this rule never applies.`, 'merge the two rules, or remove this one.');
      else firstOf.set(match.toLowerCase(), label);
    }
    const guard: GuardSettings | undefined = f.has('guard') ? parseGuard(f.map.guard, f.at('guard'), issues) : undefined;
    const release = f.has('release') ? parseReleases(f, issues, known) : undefined;
    const serving = f.has('serving') ? parseServing(f.map.serving, f.at('serving'), issues) : undefined;
    const rollout = f.has('rollout') ? parseRollout(f.map.rollout, f.at('rollout'), issues) : undefined;
    const approval = f.has('approval') ? parseRuleApproval(f.map.approval, f.at('approval'), issues) : undefined;
    if (match !== undefined && !SETTING_KEYS.some((k) => f.has(k))) {
      issues.add(label, 'sets nothing, so it only hides the rules after it.', 'add guard, release, serving, rollout or approval to it, or remove it.');
    }
    if (match === undefined) return;
    rules.push({
      match, index,
      ...(guard ? { guard } : {}), ...(release ? { release } : {}), ...(serving ? { serving } : {}), ...(rollout ? { rollout } : {}),
      ...(approval ? { approval } : {}),
    });
  });
  return rules;
}

/**
 * A rule's `approval:` sets only who Azure DevOps records as the approver (DESIGN 9.6); who may
 * approve, and how many, stay the environment's.
 */
function parseRuleApproval(value: unknown, path: string, issues: IssueList): { asApprover: AsApprover } | undefined {
  const f = Fields.of(value, path, issues, ['asApprover']);
  if (!f) return undefined;
  const asApprover = f.oneOf('asApprover', AS_APPROVER_MODES);
  return asApprover ? { asApprover } : undefined;
}

/** `models[1]` becomes `models[1] ("taxi-*")` in messages, so the rule is found without counting. */
function ruleName(value: unknown, path: string): string {
  const match = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).match : undefined;
  return typeof match === 'string' && match.trim() ? `${path} ("${match.trim()}")` : path;
}

/** `release:` of a rule is per environment: `{ prod: { kind: pipeline, … } }`. */
function parseReleases(
  f: Fields, issues: IssueList, known: (name: string, path: string, what: string) => string | undefined,
): Record<string, ReleaseSettings> | undefined {
  const raw = f.map.release;
  const path = f.at('release');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.add(path, 'expected a mapping of environment names to releases.', 'write it like release: { prod: { kind: pipeline, pipeline: deploy-model, environment: prod } }.');
    return undefined;
  }
  const map = raw as Record<string, unknown>;
  if ('kind' in map) {
    issues.add(path, 'is a single release, but a rule names the environment each release is for.', `write it per environment, e.g. release: { prod: { kind: ${String(map.kind)}, … } }.`);
    return undefined;
  }
  const out: Record<string, ReleaseSettings> = {};
  for (const [envName, value] of Object.entries(map)) {
    const at = join(path, envName);
    const env = known(envName, at, 'each key of a rule\'s release');
    const release = parseRelease(value, at, issues);
    if (env && release) out[env] = release;
  }
  return out;
}
